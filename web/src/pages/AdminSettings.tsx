import { RESERVED_TENANT_IDS, type ScoreComponent, scoreComponents } from '@civicgrid/domain';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api';
import { Show } from '../components/Status';
import { Table } from '../components/Table';
import { errorText } from '../errors';
import { useApp, useLoad } from '../hooks';
import { type MessageKey, type Translator, useT } from '../i18n';

const whistleKinds = ['emergency', 'key', 'routine'] as const;
type WhistleKind = (typeof whistleKinds)[number];

const isConflict = (error: unknown) => error instanceof ApiError && error.status === 409;

function Notice({ error, notice }: { error?: unknown; notice?: string }) {
  const i18n = useT();
  return (
    <>
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {error !== undefined && (
        <p className="error" role="alert">
          {errorText(error, i18n)}
        </p>
      )}
    </>
  );
}

export interface Versioned {
  version: number;
  isDefault: boolean;
}

/**
 * Loads a versioned settings document and saves it back with the version read. A 409 reloads
 * the latest and says so; each form is keyed by the version it edits, so it restarts from what was reloaded.
 */
export function VersionedSettings<T extends Versioned>(props: {
  path: string;
  title: string;
  field: string;
  form: (value: T, save: (body: unknown) => Promise<void>, busy: boolean) => ReactNode;
}) {
  const { api } = useApp();
  const i18n = useT();
  const [data, reload] = useLoad(() => api.get<T>(props.path), props.path);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const save = async (version: number, body: unknown) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await api.put(props.path, { version, [props.field]: body });
      setNotice(i18n.t('saved'));
      reload();
    } catch (cause) {
      if (isConflict(cause)) {
        setNotice(i18n.t('conflictReloaded'));
        reload();
      } else setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-label={props.title}>
      <h2>{props.title}</h2>
      <Show data={data} retry={reload}>
        {(value) => (
          <>
            {value.isDefault && <p className="muted">{i18n.t('usingDefaults')}</p>}
            {props.form(value, (body) => save(value.version, body), busy)}
          </>
        )}
      </Show>
      <Notice error={error} notice={notice} />
    </section>
  );
}

export const wholeIn = (text: string, min: number, max: number) => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
};

export interface WhistleSettingsValue {
  reportWithinMinutes: Record<WhistleKind, number>;
  blownAtOnce: WhistleKind[];
  offSiteRadiusM: number;
}

function WhistleForm(props: {
  initial: WhistleSettingsValue;
  busy: boolean;
  save: (value: WhistleSettingsValue) => Promise<void>;
}) {
  const i18n = useT();
  const id = useId();
  const [minutes, setMinutes] = useState<Record<WhistleKind, string>>(
    () =>
      Object.fromEntries(
        whistleKinds.map((k) => [k, String(props.initial.reportWithinMinutes[k] ?? '')]),
      ) as Record<WhistleKind, string>,
  );
  const [atOnce, setAtOnce] = useState<WhistleKind[]>(props.initial.blownAtOnce);
  const [radius, setRadius] = useState(String(props.initial.offSiteRadiusM));
  const [invalid, setInvalid] = useState<Record<string, string>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    for (const k of whistleKinds)
      if (!wholeIn(minutes[k], 1, 7 * 24 * 60)) problems[k] = i18n.t('minutesRange');
    if (!wholeIn(radius, 10, 20_000)) problems.radius = i18n.t('radiusRange');
    setInvalid(problems);
    if (Object.keys(problems).length > 0) return;
    void props.save({
      reportWithinMinutes: Object.fromEntries(whistleKinds.map((k) => [k, Number(minutes[k])])) as Record<
        WhistleKind,
        number
      >,
      blownAtOnce: whistleKinds.filter((k) => atOnce.includes(k)),
      offSiteRadiusM: Number(radius),
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={i18n.t('whistleSettings')}>
      <fieldset>
        <legend>{i18n.t('reportWithin')}</legend>
        <div className="minutes-grid">
          {whistleKinds.map((k) => (
            <div className="field" key={k}>
              <label htmlFor={`${id}-${k}`}>
                {/* The legend already says it on screen; a screen reader hears the whole name with each field. */}
                <span className="sr-only">{i18n.t('reportWithin')} · </span>
                {i18n.whistleKind(k)}
              </label>
              <input
                id={`${id}-${k}`}
                inputMode="numeric"
                value={minutes[k]}
                aria-invalid={invalid[k] ? true : undefined}
                aria-describedby={invalid[k] ? `${id}-${k}-e` : undefined}
                onChange={(e) => setMinutes({ ...minutes, [k]: e.target.value })}
              />
              {invalid[k] && (
                <span className="error" id={`${id}-${k}-e`}>
                  {invalid[k]}
                </span>
              )}
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{i18n.t('blownAtOnce')}</legend>
        {whistleKinds.map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={atOnce.includes(k)}
              onChange={(e) => setAtOnce(e.target.checked ? [...atOnce, k] : atOnce.filter((x) => x !== k))}
            />{' '}
            {i18n.whistleKind(k)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-radius`}>{i18n.t('offSiteRadius')}</label>
        <input
          id={`${id}-radius`}
          inputMode="numeric"
          value={radius}
          aria-invalid={invalid.radius ? true : undefined}
          aria-describedby={invalid.radius ? `${id}-radius-e` : undefined}
          onChange={(e) => setRadius(e.target.value)}
        />
        {invalid.radius && (
          <span className="error" id={`${id}-radius-e`}>
            {invalid.radius}
          </span>
        )}
      </div>
      <button type="submit" className="primary" disabled={props.busy}>
        {i18n.t('save')}
      </button>
    </form>
  );
}

/** Report-by minutes per whistle kind, the kinds blown at once, and the off-site radius. */
export function WhistleSettingsEditor() {
  const i18n = useT();
  return (
    <VersionedSettings<Versioned & { settings: WhistleSettingsValue }>
      path="/v1/settings/whistles"
      field="settings"
      title={i18n.t('whistleSettings')}
      form={(value, save, busy) => (
        <WhistleForm key={value.version} initial={value.settings} busy={busy} save={save} />
      )}
    />
  );
}

const weightKeys: Record<ScoreComponent, MessageKey> = {
  onTime: 'wOnTime',
  closure: 'wClosure',
  rework: 'wRework',
  returns: 'wReturns',
  citizenSatisfaction: 'wCitizenSatisfaction',
  whistleReporting: 'wWhistleReporting',
  streetEvaluation: 'wStreetEvaluation',
};

type Weights = Record<ScoreComponent, number>;

function WeightsForm(props: { initial: Weights; busy: boolean; save: (value: Weights) => Promise<void> }) {
  const i18n = useT();
  const id = useId();
  const [weights, setWeights] = useState<Record<ScoreComponent, string>>(
    () =>
      Object.fromEntries(scoreComponents.map((c) => [c, String(props.initial[c] ?? 0)])) as Record<
        ScoreComponent,
        string
      >,
  );
  const [problem, setProblem] = useState<string>();
  const sum = scoreComponents.reduce((total, c) => total + (Number(weights[c]) || 0), 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!scoreComponents.every((c) => wholeIn(weights[c], 0, 100))) return setProblem(i18n.t('weightRange'));
    if (sum !== 100) return setProblem(i18n.t('weightSumMust'));
    setProblem(undefined);
    void props.save(
      Object.fromEntries(scoreComponents.map((c) => [c, Number(weights[c])])) as Record<
        ScoreComponent,
        number
      >,
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label={i18n.t('scoreWeights')}>
      <div className="grid2">
        {scoreComponents.map((c) => (
          <div className="field" key={c}>
            <label htmlFor={`${id}-${c}`}>{i18n.t(weightKeys[c])}</label>
            <input
              id={`${id}-${c}`}
              inputMode="numeric"
              value={weights[c]}
              onChange={(e) => setWeights({ ...weights, [c]: e.target.value })}
            />
          </div>
        ))}
      </div>
      <p data-testid="weight-sum">
        {i18n.t('weightSum')}: {sum} / 100
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="primary" disabled={props.busy}>
        {i18n.t('save')}
      </button>
    </form>
  );
}

/** The weights of the departments' composite score: whole numbers adding up to 100. */
export function ScoreWeightsEditor() {
  const i18n = useT();
  return (
    <VersionedSettings<Versioned & { weights: Weights }>
      path="/v1/analytics/weights"
      field="weights"
      title={i18n.t('scoreWeights')}
      form={(value, save, busy) => (
        <WeightsForm key={value.version} initial={value.weights} busy={busy} save={save} />
      )}
    />
  );
}

interface Tenant {
  id: string;
  name: string;
  divisionCode: string;
  tier: string;
  status: string;
  createdAt: string;
}

const tenantIdPattern = /^[a-z0-9][a-z0-9-]{1,31}$/;
const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,39}$/;

const onboardFields = ['id', 'name', 'divisionCode', 'username', 'displayName', 'password'] as const;
type OnboardField = (typeof onboardFields)[number];

const onboardProblems = (form: Record<OnboardField, string>): Partial<Record<OnboardField, MessageKey>> => {
  const problems: Partial<Record<OnboardField, MessageKey>> = {};
  if (!tenantIdPattern.test(form.id) || (RESERVED_TENANT_IDS as readonly string[]).includes(form.id))
    problems.id = 'tenantIdHint';
  if (!form.name.trim() || form.name.trim().length > 60) problems.name = 'required';
  if (!/^[1-8]\d{5}$/.test(form.divisionCode)) problems.divisionCode = 'divisionCodeHint';
  if (!usernamePattern.test(form.username)) problems.username = 'usernameHint';
  if (!form.displayName.trim() || form.displayName.trim().length > 60) problems.displayName = 'required';
  if (form.password.length < 10 || form.password.length > 200) problems.password = 'passwordHint';
  return problems;
};

const onboardLabels: Record<OnboardField, MessageKey> = {
  id: 'tenantId',
  name: 'cityName',
  divisionCode: 'divisionCode',
  username: 'username',
  displayName: 'displayName',
  password: 'password',
};

function OnboardForm({ onDone }: { onDone: (notice: string) => void }) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const empty = Object.fromEntries(onboardFields.map((f) => [f, ''])) as Record<OnboardField, string>;
  const [form, setForm] = useState(empty);
  const [invalid, setInvalid] = useState<Partial<Record<OnboardField, MessageKey>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = onboardProblems(form);
    setInvalid(problems);
    setError(undefined);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      await api.post('/v1/tenants', {
        id: form.id,
        name: form.name.trim(),
        divisionCode: form.divisionCode,
        admin: { username: form.username, displayName: form.displayName.trim(), password: form.password },
      });
      setForm(empty);
      onDone(`${i18n.t('onboarded')}: ${form.id}`);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const input = (field: OnboardField) => (
    <div className="field" key={field}>
      <label htmlFor={`${id}-${field}`}>{i18n.t(onboardLabels[field])}</label>
      <input
        id={`${id}-${field}`}
        type={field === 'password' ? 'password' : 'text'}
        autoComplete={field === 'password' ? 'new-password' : 'off'}
        value={form[field]}
        aria-invalid={invalid[field] ? true : undefined}
        aria-describedby={invalid[field] ? `${id}-${field}-e` : undefined}
        onChange={(e) => setForm({ ...form, [field]: e.target.value })}
      />
      {invalid[field] && (
        <span className="error" id={`${id}-${field}-e`}>
          {i18n.t(invalid[field])}
        </span>
      )}
    </div>
  );

  return (
    <form className="card" onSubmit={submit} noValidate aria-label={i18n.t('onboardCity')}>
      <h2>{i18n.t('onboardCity')}</h2>
      <div className="grid2">{(['id', 'name', 'divisionCode'] as const).map(input)}</div>
      <fieldset>
        <legend>{i18n.t('adminUser')}</legend>
        <div className="grid2">{(['username', 'displayName', 'password'] as const).map(input)}</div>
      </fieldset>
      <Notice error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {i18n.t('onboardCity')}
      </button>
    </form>
  );
}

const tenantStatusKeys: Record<string, MessageKey> = {
  onboarding: 'tenantStatusOnboarding',
  active: 'tenantStatusActive',
  suspended: 'tenantStatusSuspended',
};

const tenantStatusText = (status: string, i18n: Translator) => {
  const key = tenantStatusKeys[status];
  return key ? i18n.t(key) : status;
};

/** The platform operator's view: the cities on the platform, onboarding a new one, suspend and resume. */
/**
 * Asks before a city is suspended: a modal dialog naming the city and what suspension does. The
 * native `<dialog>` keeps the focus inside and closes on Escape; Cancel has the focus first (the safe
 * choice), and the focus goes back to the button that opened it.
 */
export function SuspendDialog(props: { tenant: Tenant; onConfirm: () => void; onClose: () => void }) {
  const i18n = useT();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current;
    if (element && !element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
    cancel.current?.focus();
    return () => opener?.focus?.();
  }, []);
  const question = i18n
    .t('suspendQuestion')
    .replace('{name}', props.tenant.name)
    .replace('{id}', props.tenant.id);
  return (
    <dialog
      ref={dialog}
      className="card confirm"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      onCancel={(event) => {
        // Escape: close through React's state, not the browser alone.
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={`${id}-title`}>{i18n.t('suspendTitle')}</h2>
      <div id={`${id}-text`}>
        <p>
          <strong>{question}</strong>
        </p>
        <p>{i18n.t('suspendEffect')}</p>
      </div>
      <div className="row">
        <button ref={cancel} type="button" onClick={props.onClose}>
          {i18n.t('cancel')}
        </button>
        <button type="button" className="danger" onClick={props.onConfirm}>
          {i18n.t('suspendConfirm')}
        </button>
      </div>
    </dialog>
  );
}

export function TenantsAdmin() {
  const { api } = useApp();
  const i18n = useT();
  const [tenants, reload] = useLoad(() => api.get<{ items: Tenant[] }>('/v1/tenants?limit=100'), 'tenants');
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string>();
  const [confirming, setConfirming] = useState<Tenant>();

  const setStatus = async (tenant: Tenant, action: 'suspend' | 'resume') => {
    setBusy(tenant.id);
    setError(undefined);
    setNotice(undefined);
    try {
      await api.post(`/v1/tenants/${tenant.id}/${action}`, {});
      reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section aria-labelledby="tenants-title">
      <h1 id="tenants-title">{i18n.t('tenants')}</h1>
      <OnboardForm
        onDone={(text) => {
          setNotice(text);
          reload();
        }}
      />
      <Notice error={error} notice={notice} />
      <Show data={tenants} retry={reload} isEmpty={(v) => v.items.length === 0}>
        {({ items }) => (
          <Table
            caption={i18n.t('tenants')}
            heads={['ID', i18n.t('name'), i18n.t('code'), i18n.t('kind'), i18n.t('status')]}
            actionsHead={i18n.t('actions')}
          >
            {items.map((t) => (
              <tr key={t.id} data-tenant={t.id}>
                <td>{t.id}</td>
                <td>{t.name}</td>
                <td>{t.divisionCode}</td>
                <td>{t.tier}</td>
                <td data-testid="tenant-status">{tenantStatusText(t.status, i18n)}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy === t.id}
                    onClick={() =>
                      // Resuming gives access back at once; suspending is confirmed first.
                      t.status === 'suspended' ? void setStatus(t, 'resume') : setConfirming(t)
                    }
                  >
                    {t.status === 'suspended' ? i18n.t('resume') : i18n.t('suspend')}
                  </button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Show>
      {confirming && (
        <SuspendDialog
          tenant={confirming}
          onClose={() => setConfirming(undefined)}
          onConfirm={() => {
            setConfirming(undefined);
            void setStatus(confirming, 'suspend');
          }}
        />
      )}
    </section>
  );
}
