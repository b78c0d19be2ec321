import { useState } from 'react';
import { Show } from '../components/Status';
import { departmentsOf } from '../data';
import { useApp, useLoad } from '../hooks';
import { useT } from '../i18n';

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

function Users() {
  const { api } = useApp();
  const i18n = useT();
  const [users, reload] = useLoad(() => api.get<{ items: User[] }>('/v1/users?limit=100'), 'users');
  return (
    <Show data={users} retry={reload} isEmpty={(v) => v.items.length === 0}>
      {({ items }) => (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{i18n.t('username')}</th>
                <th scope="col">{i18n.t('displayName')}</th>
                <th scope="col">{i18n.t('role')}</th>
                <th scope="col">{i18n.t('scope')}</th>
                <th scope="col">{i18n.t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id}>
                  <td>{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>{i18n.role(u.role)}</td>
                  <td>{scopeText(u.scope)}</td>
                  <td>{u.status === 'active' ? i18n.t('active') : i18n.t('disabled')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Show>
  );
}

function Departments() {
  const { api, session } = useApp();
  const i18n = useT();
  const [departments, reload] = useLoad(() => departmentsOf(api, session), 'departments');
  return (
    <Show data={departments} retry={reload} isEmpty={(v) => v.length === 0}>
      {(items) => (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{i18n.t('code')}</th>
                <th scope="col">{i18n.t('name')}</th>
                <th scope="col">{i18n.t('kind')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td>{d.code}</td>
                  <td>{i18n.lang === 'en' && d.nameEn ? d.nameEn : d.name}</td>
                  <td>{d.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Show>
  );
}

interface Calendar {
  timeZone?: string;
  workingHours?: unknown;
  weekends?: number[];
  years?: Record<string, unknown>;
}

function Settings() {
  const { api } = useApp();
  const i18n = useT();
  const [settings, reload] = useLoad(
    () =>
      Promise.all([
        api.get<Calendar>('/v1/settings/calendar'),
        api.get<Record<string, unknown>>('/v1/settings/whistles'),
      ]),
    'settings',
  );
  return (
    <Show data={settings} retry={reload}>
      {([calendar, whistles]) => (
        <div className="grid2">
          <section className="card">
            <h3>{i18n.t('calendar')}</h3>
            <pre>{JSON.stringify(calendar, null, 2)}</pre>
          </section>
          <section className="card">
            <h3>{i18n.t('whistleSettings')}</h3>
            <pre>{JSON.stringify(whistles, null, 2)}</pre>
          </section>
        </div>
      )}
    </Show>
  );
}

const tabs = ['users', 'departments', 'settings'] as const;

export function AdminPage() {
  const { session } = useApp();
  const i18n = useT();
  const [tab, setTab] = useState<(typeof tabs)[number]>('users');
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
      {tab === 'users' ? <Users /> : tab === 'departments' ? <Departments /> : <Settings />}
    </section>
  );
}
