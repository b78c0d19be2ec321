import type { Role } from '@civicgrid/domain';
import { type FormEvent, useId, useState } from 'react';
import { ErrorText, Show } from '../components/Status';
import { Table } from '../components/Table';
import { departmentName, departmentsOf, unitsOf } from '../data';
import { useApp, useLoad } from '../hooks';
import { useT } from '../i18n';
import { scopeChoice, scopeFor, tenantRoles } from '../users';
import { ScoreWeightsEditor, TenantsAdmin, WhistleSettingsEditor } from './AdminSettings';
import { DepartmentsAdmin } from './admin/Departments';
import { DutyCatalogAdmin } from './admin/DutyCatalog';
import { HierarchyAdmin } from './admin/Hierarchy';
import { Open311Keys } from './admin/Open311Keys';
import { CalendarEditor } from './CalendarSettings';

interface User {
  id: string;
  username: string;
  displayName: string;
  role: string;
  status: string;
  scope: { kind: string; code?: string; departmentId?: string };
}

const scopeText = (scope: User['scope']) =>
  scope.kind === 'org' ? scope.code : scope.kind === 'department' ? scope.departmentId : scope.kind;

function NewUser({ onCreated }: { onCreated: () => void }) {
  const { api, session } = useApp();
  const i18n = useT();
  const id = useId();
  const [role, setRole] = useState<Role>('grid_worker');
  const [choice, setChoice] = useState('');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [reference] = useLoad(
    () => Promise.all([departmentsOf(api, session), unitsOf(api, session)]),
    'user-reference',
  );
  const kind = scopeChoice(role);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const scope = scopeFor(role, choice);
    if (!scope || !username.trim() || !displayName.trim()) {
      setError(
        new Error(
          `${i18n.t('required')}: ${i18n.t('username')}、${i18n.t('displayName')}、${i18n.t('scope')}`,
        ),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/v1/users', {
        username: username.trim(),
        displayName: displayName.trim(),
        role,
        scope,
        ...(password ? { password } : {}),
      });
      setUsername('');
      setDisplayName('');
      setPassword('');
      onCreated();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const units =
    reference.state === 'ready' && reference.value[1]
      ? reference.value[1].features
          .map((f) => f.properties as { code: string; name: string })
          .filter((u) => scopeFor(role, u.code)?.kind === 'org')
      : [];
  const departments = reference.state === 'ready' ? reference.value[0] : [];

  return (
    <form className="card" onSubmit={submit} aria-label={i18n.t('createUser')} noValidate>
      <h2>{i18n.t('createUser')}</h2>
      <div className="grid2">
        <div className="field">
          <label htmlFor={`${id}-u`}>{i18n.t('username')}</label>
          <input
            id={`${id}-u`}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-n`}>{i18n.t('displayName')}</label>
          <input id={`${id}-n`} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-r`}>{i18n.t('role')}</label>
          <select
            id={`${id}-r`}
            value={role}
            onChange={(e) => {
              setRole(e.target.value as Role);
              setChoice('');
            }}
          >
            {tenantRoles.map((r) => (
              <option key={r} value={r}>
                {i18n.role(r)}
              </option>
            ))}
          </select>
        </div>
        {kind !== 'fixed' && (
          <div className="field">
            <label htmlFor={`${id}-s`}>{i18n.t('scope')}</label>
            <select id={`${id}-s`} value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="">—</option>
              {kind === 'department'
                ? departments.map((d) => (
                    <option key={d.id} value={d.id}>
                      {departmentName(departments, d.id, i18n.lang)}
                    </option>
                  ))
                : units.map((u) => (
                    <option key={u.code} value={u.code}>
                      {u.name} {u.code}
                    </option>
                  ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-p`}>{i18n.t('password')}</label>
          <input
            id={`${id}-p`}
            type="password"
            autoComplete="new-password"
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
      </div>
      <ErrorText error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {i18n.t('createUser')}
      </button>
    </form>
  );
}

function Users() {
  const { api, session } = useApp();
  const i18n = useT();
  const [users, reload] = useLoad(() => api.get<{ items: User[] }>('/v1/users?limit=100'), 'users');
  const [error, setError] = useState<unknown>();
  const toggle = async (user: User) => {
    setError(undefined);
    try {
      await api.post(`/v1/users/${user.id}/${user.status === 'active' ? 'disable' : 'enable'}`, {});
      reload();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <>
      <NewUser onCreated={reload} />
      <ErrorText error={error} />
      <Show data={users} retry={reload} isEmpty={(v) => v.items.length === 0}>
        {({ items }) => (
          <Table
            caption={i18n.t('users')}
            heads={[
              i18n.t('username'),
              i18n.t('displayName'),
              i18n.t('role'),
              i18n.t('scope'),
              i18n.t('status'),
            ]}
            actionsHead={i18n.t('actions')}
          >
            {items.map((u) => (
              <tr key={u.id} data-username={u.username}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{i18n.role(u.role)}</td>
                <td>{scopeText(u.scope)}</td>
                <td>{u.status === 'active' ? i18n.t('active') : i18n.t('disabled')}</td>
                <td>
                  {u.id !== session.user.id && (
                    <button type="button" onClick={() => void toggle(u)}>
                      {u.status === 'active' ? i18n.t('disable') : i18n.t('enable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Show>
    </>
  );
}

function Settings() {
  return (
    <>
      <div className="grid2">
        <WhistleSettingsEditor />
        <ScoreWeightsEditor />
      </div>
      <CalendarEditor />
      <Open311Keys />
    </>
  );
}

const tabs = ['users', 'departments', 'dutyCatalog', 'hierarchyTab', 'settings'] as const;

export function AdminPage() {
  const { session } = useApp();
  const i18n = useT();
  const [tab, setTab] = useState<(typeof tabs)[number]>('users');
  if (session.user.role === 'platform_operator') return <TenantsAdmin />;
  if (session.user.role !== 'city_admin') return <p className="error">{i18n.t('forbidden')}</p>;
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">{i18n.t('navAdmin')}</h1>
      <div role="tablist" className="tabs">
        {tabs.map((key) => (
          <button key={key} type="button" role="tab" aria-selected={tab === key} onClick={() => setTab(key)}>
            {i18n.t(key)}
          </button>
        ))}
      </div>
      {tab === 'hierarchyTab' ? (
        <HierarchyAdmin />
      ) : tab === 'users' ? (
        <Users />
      ) : tab === 'departments' ? (
        <DepartmentsAdmin />
      ) : tab === 'dutyCatalog' ? (
        <DutyCatalogAdmin />
      ) : (
        <Settings />
      )}
    </section>
  );
}
