import { commonalities, whistleKinds, whistleSourceKinds } from '@civicgrid/domain';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { buildFrom, type FieldValue } from '../commands';
import { LazyMap as MapView } from '../components/LazyMap';
import { PhotoInput } from '../components/PhotoInput';
import { ErrorText, Show } from '../components/Status';
import { categoriesOf, categoryName, type Department, departmentName, departmentsOf, unitsOf } from '../data';
import { useApp, useLoad } from '../hooks';
import { type MessageKey, useT } from '../i18n';
import { navigate } from '../router';
import {
  allowedWhistleCommands,
  canFollowUp,
  checkedInOfficers,
  countdown,
  followUpCases,
  parseFollowUpCaseIds,
  type WhistleCommand,
  type WhistleView,
  whistleFields,
} from '../whistles';

/** A live countdown to report-by, refreshed every thirty seconds. */
export function Countdown({ reportBy }: { reportBy: string }) {
  const i18n = useT();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const left = countdown(reportBy, now);
  const text = `${left.days > 0 ? `${left.days}${i18n.t('days')} ` : ''}${left.hours}${i18n.t('hours')} ${left.minutes}${i18n.t('minutes')}`;
  return (
    <span
      className={`badge ${left.overdue ? 'deadline-overdue' : 'deadline-due_soon'}`}
      data-testid="countdown"
    >
      {left.overdue ? i18n.t('overdueBy') : i18n.t('countdown')} {text}
    </span>
  );
}

const currentPosition = (): Promise<[number, number]> =>
  new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error('geolocation unavailable'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve([Number(p.coords.longitude.toFixed(6)), Number(p.coords.latitude.toFixed(6))]),
      (error) => reject(new Error(error.message)),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  });

function WhistleList({ items }: { items: WhistleView[] }) {
  const i18n = useT();
  if (items.length === 0) return <p className="muted">{i18n.t('empty')}</p>;
  return (
    <ul className="cases">
      {items.map((w) => (
        <li key={w.id} data-testid="whistle-row" data-status={w.status}>
          <a
            href={`/whistles/${w.id}`}
            onClick={(event) => {
              event.preventDefault();
              navigate(`/whistles/${w.id}`);
            }}
          >
            <span className="badge">{i18n.whistleStatus(w.status)}</span>
            <span className="desc">{w.description}</span>
            <span className="badge">{i18n.whistleKind(w.kind)}</span>
            <span className="muted small">
              {i18n.whistleSource(w.source.kind)} · {i18n.date(w.draftedAt)}
              {w.reportBy && ['blown', 'acting'].includes(w.status) ? ' · ' : ''}
              {w.reportBy && ['blown', 'acting'].includes(w.status) && <Countdown reportBy={w.reportBy} />}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function NewWhistle({ onDone }: { onDone: (id: string) => void }) {
  const { api, session } = useApp();
  const i18n = useT();
  const id = useId();
  const [kind, setKind] = useState<string>('routine');
  const [source, setSource] = useState<string>('patrol');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('');
  const [commonality, setCommonality] = useState<string>('individual');
  const [place, setPlace] = useState<{ point: [number, number]; gridCode?: string; label?: string }>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [reference] = useLoad(
    () => Promise.all([departmentsOf(api, session), categoriesOf(api, session), unitsOf(api, session)]),
    'whistle-reference',
  );

  const choose = async (point: [number, number]) => {
    setPlace({ point });
    try {
      const found = await api.get<Record<string, { code: string; name: string }>>(
        `/v1/org/locate?lon=${point[0]}&lat=${point[1]}`,
      );
      if (found.grid)
        setPlace({ point, gridCode: found.grid.code, label: `${found.grid.name} ${found.grid.code}` });
    } catch (cause) {
      setError(cause);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reference.state !== 'ready') return;
    if (!place?.gridCode) {
      setError(new Error(i18n.t('locationMissing')));
      return;
    }
    if (!description.trim() || !category || chosen.length === 0) {
      setError(
        new Error(
          `${i18n.t('required')}: ${i18n.t('description')}、${i18n.t('category')}、${i18n.t('summonDepartments')}`,
        ),
      );
      return;
    }
    const departments = reference.value[0];
    setBusy(true);
    setError(undefined);
    try {
      const drafted = await api.post<WhistleView>('/v1/whistles', {
        kind,
        source: { kind: source },
        description: description.trim(),
        categories: [category],
        commonality,
        location: { point: place.point, gridCode: place.gridCode },
        departments: chosen.map((departmentId) => ({
          departmentId,
          kind: departments.find((d) => d.id === departmentId)?.kind === 'resident' ? 'resident' : 'on_call',
        })),
      });
      onDone(drafted.id);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const select = (
    label: MessageKey,
    value: string,
    set: (v: string) => void,
    options: readonly string[],
    text: (v: string) => string,
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${label}`}>{i18n.t(label)}</label>
      <select id={`${id}-${label}`} value={value} onChange={(e) => set(e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {text(o)}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <form className="card report" onSubmit={submit} aria-label={i18n.t('newWhistle')} noValidate>
      <h2>{i18n.t('newWhistle')}</h2>
      <Show data={reference}>
        {([departments, categories, units]) => (
          <>
            {select('whistleKind', kind, setKind, whistleKinds, i18n.whistleKind)}
            {select('source', source, setSource, whistleSourceKinds, i18n.whistleSource)}
            <div className="field">
              <label htmlFor={`${id}-desc`}>
                {i18n.t('description')} ({i18n.t('required')})
              </label>
              <textarea
                id={`${id}-desc`}
                rows={3}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-cat`}>
                {i18n.t('category')} ({i18n.t('required')})
              </label>
              <select id={`${id}-cat`} value={category} onChange={(e) => setCategory(e.target.value)}>
                <option value="">—</option>
                {categories.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.code} {categoryName(categories, c.code, i18n.lang)}
                  </option>
                ))}
              </select>
            </div>
            {select('commonality', commonality, setCommonality, commonalities, (v) =>
              i18n.t(v as MessageKey),
            )}
            <fieldset>
              <legend>{i18n.t('location')}</legend>
              <button type="button" onClick={() => currentPosition().then(choose, setError)}>
                {i18n.t('useMyLocation')}
              </button>
              <MapView
                units={units}
                marker={place?.point}
                onPick={(p) => void choose(p)}
                label={i18n.t('pickOnMap')}
                className="map-small"
              />
              <p data-testid="whistle-picked" aria-live="polite">
                {place
                  ? `${i18n.t('point')} ${place.point.join(', ')}${place.label ? ` · ${i18n.t('grid')} ${place.label}` : ''}`
                  : i18n.t('locationMissing')}
              </p>
            </fieldset>
            <fieldset>
              <legend>{i18n.t('summonDepartments')}</legend>
              {(['resident', 'on_call'] as const).map((group) => (
                <div key={group}>
                  <h3>{i18n.t(group === 'resident' ? 'resident' : 'onCall')}</h3>
                  <div className="choices">
                    {departments
                      .filter((d) => (group === 'resident' ? d.kind === 'resident' : d.kind !== 'resident'))
                      .map((d) => (
                        <label key={d.id} className="check">
                          <input
                            type="checkbox"
                            checked={chosen.includes(d.id)}
                            onChange={(e) =>
                              setChosen(
                                e.target.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id),
                              )
                            }
                          />
                          {departmentName(departments, d.id, i18n.lang)}
                        </label>
                      ))}
                  </div>
                </div>
              ))}
            </fieldset>
            <ErrorText error={error} />
            <button type="submit" className="primary block" disabled={busy}>
              {i18n.t('submit')}
            </button>
          </>
        )}
      </Show>
    </form>
  );
}

export function WhistlesPage() {
  const { api, session } = useApp();
  const i18n = useT();
  const [list, reload] = useLoad(() => api.get<{ items: WhistleView[] }>('/v1/whistles'), 'whistles');
  const [drafting, setDrafting] = useState(false);
  const role = session.user.role;
  const title: MessageKey =
    role === 'district_center' ? 'reviewQueue' : role === 'department' ? 'summons' : 'whistleBoard';
  const canDraft = role === 'street_center' || role === 'community_station';
  return (
    <section aria-labelledby="whistles-title">
      <div className="row spread">
        <h1 id="whistles-title">{i18n.t(title)}</h1>
        {canDraft && (
          <button
            type="button"
            className="primary"
            aria-expanded={drafting}
            onClick={() => setDrafting(!drafting)}
          >
            {i18n.t('newWhistle')}
          </button>
        )}
      </div>
      {drafting && <NewWhistle onDone={(id) => navigate(`/whistles/${id}`)} />}
      <Show data={list} retry={reload}>
        {({ items }) => (
          <WhistleList items={[...items].sort((a, b) => b.draftedAt.localeCompare(a.draftedAt))} />
        )}
      </Show>
    </section>
  );
}

/** The joint action on site (前端统一执法): who acted, with what power, and the evidence. */
function RecordAction(props: {
  view: WhistleView;
  departments: { id: string; name: string; nameEn?: string; kind: string; code: string }[];
  values: Record<string, FieldValue>;
  set: (name: string, value: FieldValue) => void;
}) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const officers = checkedInOfficers(props.view);
  const key = (o: { userId: string; departmentId: string }) => `${o.departmentId}/${o.userId}`;
  const chosen = Array.isArray(props.values.officers) ? props.values.officers : [];
  const name = (departmentId: string) => departmentName(props.departments, departmentId, i18n.lang);
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-d`}>
          {i18n.t('description')} ({i18n.t('required')})
        </label>
        <textarea
          id={`${id}-d`}
          rows={3}
          value={String(props.values.description ?? '')}
          onChange={(e) => props.set('description', e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-p`}>
          {i18n.t('power')} ({i18n.t('required')})
        </label>
        <input
          id={`${id}-p`}
          value={String(props.values.power ?? '')}
          onChange={(e) => props.set('power', e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-c`}>
          {i18n.t('competentDepartment')} ({i18n.t('required')})
        </label>
        <select
          id={`${id}-c`}
          value={String(props.values.competentDepartmentId ?? '')}
          onChange={(e) => props.set('competentDepartmentId', e.target.value)}
        >
          <option value="">—</option>
          {props.view.summons.map((s) => (
            <option key={s.departmentId} value={s.departmentId}>
              {name(s.departmentId)}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>
          {i18n.t('officers')} ({i18n.t('required')})
        </legend>
        {officers.length === 0 && <p className="muted">{i18n.t('notYet')}</p>}
        {officers.map((o) => (
          <label key={key(o)} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(key(o))}
              onChange={(e) =>
                props.set(
                  'officers',
                  e.target.checked ? [...chosen, key(o)] : chosen.filter((k) => k !== key(o)),
                )
              }
            />
            {name(o.departmentId)} · {o.userId}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-s`}>{i18n.t('secondInspector')}</label>
        <select
          id={`${id}-s`}
          value={String(props.values.secondInspector ?? '')}
          onChange={(e) => props.set('secondInspector', e.target.value)}
        >
          <option value="">{i18n.t('none')}</option>
          {officers
            .filter((o) => o.kind === 'resident')
            .map((o) => (
              <option key={key(o)} value={key(o)}>
                {name(o.departmentId)} · {o.userId}
              </option>
            ))}
        </select>
      </div>
      <PhotoInput
        api={api}
        label={i18n.t('evidence')}
        required
        onChange={(ids) => props.set('evidenceIds', ids)}
      />
    </>
  );
}

/** The body of the joint action record from the form, or the names of what is missing. */
export const recordActionBody = (
  values: Record<string, FieldValue>,
): { body: Record<string, unknown> } | { missing: MessageKey[] } => {
  const officer = (k: string) => {
    const [departmentId, ...rest] = k.split('/');
    return { departmentId: departmentId as string, userId: rest.join('/') };
  };
  const officers = Array.isArray(values.officers) ? values.officers : [];
  const evidenceIds = Array.isArray(values.evidenceIds) ? values.evidenceIds : [];
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string).trim() : '');
  const missing: MessageKey[] = [
    ...(text('description') ? [] : (['description'] as const)),
    ...(text('power') ? [] : (['power'] as const)),
    ...(text('competentDepartmentId') ? [] : (['competentDepartment'] as const)),
    ...(officers.length > 0 ? [] : (['officers'] as const)),
    ...(evidenceIds.length > 0 ? [] : (['evidence'] as const)),
  ];
  if (missing.length > 0) return { missing };
  return {
    body: {
      type: 'recordAction',
      description: text('description'),
      power: text('power'),
      competentDepartmentId: text('competentDepartmentId'),
      officers: officers.map(officer),
      ...(text('secondInspector') ? { secondInspector: officer(text('secondInspector')) } : {}),
      evidenceIds,
    },
  };
};

function WhistleCommandForm(props: {
  type: WhistleCommand;
  view: WhistleView;
  departments: { id: string; name: string; nameEn?: string; kind: string; code: string }[];
  onDone: (next: WhistleView) => void;
  onCancel: () => void;
}) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fields = whistleFields[props.type];

  const send = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      props.onDone(await api.post<WhistleView>(`/v1/whistles/${props.view.id}/commands`, body));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (props.type === 'report') {
      setBusy(true);
      try {
        const position = await currentPosition();
        await send({ type: 'report', position });
      } catch (cause) {
        setError(cause);
        setBusy(false);
      }
      return;
    }
    if (props.type === 'recordAction') {
      const built = recordActionBody(values);
      if ('missing' in built) {
        setError(new Error(`${i18n.t('required')}: ${built.missing.map((k) => i18n.t(k)).join('、')}`));
        return;
      }
      await send(built.body);
      return;
    }
    const built = buildFrom(fields, props.type, values);
    if ('missing' in built) {
      setError(
        new Error(
          `${i18n.t('required')}: ${built.missing.map((n) => i18n.t(fields.find((f) => f.name === n)?.label ?? 'required')).join('、')}`,
        ),
      );
      return;
    }
    await send(built.body);
  };

  return (
    <form className="command card" onSubmit={submit} aria-label={i18n.whistleCommand(props.type)} noValidate>
      <h3>{i18n.whistleCommand(props.type)}</h3>
      {props.type === 'recordAction' && (
        <RecordAction
          view={props.view}
          departments={props.departments}
          values={values}
          set={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
        />
      )}
      {fields.map((spec) => {
        const fieldId = `${id}-${spec.name}`;
        const label = `${i18n.t(spec.label)}${spec.required ? ` (${i18n.t('required')})` : ''}`;
        const set = (value: FieldValue) => setValues((v) => ({ ...v, [spec.name]: value }));
        if (spec.kind === 'confirmed')
          return (
            <label key={spec.name} className="check">
              <input
                type="checkbox"
                checked={values[spec.name] === true}
                onChange={(e) => set(e.target.checked)}
              />
              {i18n.t(spec.label)}
            </label>
          );
        if (spec.kind === 'satisfaction' || spec.kind === 'department')
          return (
            <div className="field" key={spec.name}>
              <label htmlFor={fieldId}>{label}</label>
              <select
                id={fieldId}
                value={String(values[spec.name] ?? '')}
                onChange={(e) => set(e.target.value)}
              >
                <option value="">—</option>
                {spec.kind === 'satisfaction'
                  ? [5, 4, 3, 2, 1].map((n) => (
                      <option key={n} value={n}>
                        {'★'.repeat(n)} {n}
                      </option>
                    ))
                  : props.view.summons.map((s) => (
                      <option key={s.departmentId} value={s.departmentId}>
                        {departmentName(props.departments, s.departmentId, i18n.lang)}
                      </option>
                    ))}
              </select>
            </div>
          );
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={fieldId}>{label}</label>
            <textarea
              id={fieldId}
              rows={3}
              value={String(values[spec.name] ?? '')}
              onChange={(e) => set(e.target.value)}
            />
          </div>
        );
      })}
      <ErrorText error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {props.type === 'report' ? (busy ? i18n.t('locating') : i18n.t('checkIn')) : i18n.t('submit')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {i18n.t('cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * The whistle's follow-up cases, each a link to its case; a summoned department may link more once the
 * joint action is under way (the whistle machine's `followUp`): case numbers checked before sending.
 */
function FollowUps(props: {
  view: WhistleView;
  departments: Department[];
  onDone: (next: WhistleView) => void;
}) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [ids, setIds] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const links = followUpCases(props.view);
  const allowed = canFollowUp(props.view);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseFollowUpCaseIds(ids, props.view);
    if ('problem' in parsed) {
      setError(
        new Error(`${i18n.t(parsed.problem)}${parsed.ids.length ? `: ${parsed.ids.join('、')}` : ''}`),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const next = await api.post<WhistleView>(`/v1/whistles/${props.view.id}/commands`, {
        type: 'followUp',
        caseIds: parsed.caseIds,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setOpen(false);
      setIds('');
      setNote('');
      props.onDone(next);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  if (links.length === 0 && !allowed) return null;
  return (
    <section aria-labelledby={`${id}-title`} data-testid="follow-ups">
      <h2 id={`${id}-title`}>{i18n.t('fuTitle')}</h2>
      {links.length === 0 ? (
        <p className="muted">{i18n.t('fuNone')}</p>
      ) : (
        <ul>
          {links.map((link) => (
            <li key={link.caseId} data-case={link.caseId}>
              <a
                href={`/cases/${link.caseId}`}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/cases/${link.caseId}`);
                }}
              >
                {link.caseId}
              </a>{' '}
              <span className="muted small">
                · {i18n.t('fuLinkedBy')} {departmentName(props.departments, link.departmentId, i18n.lang)} ·{' '}
                {i18n.date(link.at)}
                {link.note ? ` · ${link.note}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {allowed && (
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {i18n.t('fuOpen')}
        </button>
      )}
      {allowed && open && (
        <form className="command card" onSubmit={submit} aria-label={i18n.t('fuOpen')} noValidate>
          <div className="field">
            <label htmlFor={`${id}-ids`}>
              {i18n.t('fuCaseIds')} ({i18n.t('required')})
            </label>
            <textarea
              id={`${id}-ids`}
              rows={2}
              value={ids}
              aria-describedby={`${id}-hint`}
              onChange={(e) => setIds(e.target.value)}
            />
            <span className="small muted" id={`${id}-hint`}>
              {i18n.t('fuCaseIdsHint')}
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${id}-note`}>{i18n.t('fuNote')}</label>
            <textarea id={`${id}-note`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <ErrorText error={error} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              {i18n.t('fuSubmit')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {i18n.t('cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function WhistleDetailPage({ whistleId }: { whistleId: string }) {
  const { api, session } = useApp();
  const i18n = useT();
  const [loaded, reload] = useLoad(() => api.get<WhistleView>(`/v1/whistles/${whistleId}`), whistleId);
  const [departments] = useLoad(() => departmentsOf(api, session), 'departments');
  const [view, setView] = useState<WhistleView>();
  const [open, setOpen] = useState<WhistleCommand>();
  useEffect(() => {
    if (loaded.state === 'ready') setView(loaded.value);
  }, [loaded]);
  const names = departments.state === 'ready' ? departments.value : [];
  return (
    <section aria-labelledby="whistle-title">
      <button type="button" className="link" onClick={() => navigate('/whistles')}>
        ← {i18n.t('back')}
      </button>
      <Show data={loaded} retry={reload}>
        {() => {
          if (!view) return null;
          const commands = allowedWhistleCommands(view);
          return (
            <div className="detail-main">
              <h1 id="whistle-title">
                {i18n.whistleKind(view.kind)}{' '}
                <span className="badge" data-testid="whistle-status" data-status={view.status}>
                  {i18n.whistleStatus(view.status)}
                </span>{' '}
                {view.reportBy && ['blown', 'acting'].includes(view.status) && (
                  <Countdown reportBy={view.reportBy} />
                )}
              </h1>
              <p className="lead">{view.description}</p>
              <dl className="facts">
                <dt>{i18n.t('source')}</dt>
                <dd>{i18n.whistleSource(view.source.kind)}</dd>
                <dt>{i18n.t('grid')}</dt>
                <dd>{view.location.gridCode}</dd>
                {view.reportBy && (
                  <>
                    <dt>{i18n.t('reportBy')}</dt>
                    <dd>{i18n.date(view.reportBy)}</dd>
                  </>
                )}
                {view.archiveNumber && (
                  <>
                    <dt>{i18n.t('archiveNumber')}</dt>
                    <dd>{view.archiveNumber}</dd>
                  </>
                )}
              </dl>
              <h2>{i18n.t('summonDepartments')}</h2>
              <ul data-testid="summons">
                {view.summons.map((s) => (
                  <li key={s.departmentId} data-department={s.departmentId}>
                    <strong>{departmentName(names, s.departmentId, i18n.lang)}</strong>{' '}
                    <span className="muted">({i18n.t(s.kind === 'resident' ? 'resident' : 'onCall')})</span> ·{' '}
                    {s.acknowledgedAt ? `${i18n.t('acknowledged')} · ` : ''}
                    {s.report
                      ? `${i18n.t('checkedIn')} ${i18n.date(s.report.at)} · ${i18n.t('distance')} ${s.report.distanceM} m · ${i18n.t(s.report.onSite ? 'onSite' : 'offSite')}${s.report.late ? ` · ${i18n.t('late')}` : ''}`
                      : s.missing
                        ? i18n.t('missingFlag')
                        : i18n.t('notYet')}
                  </li>
                ))}
              </ul>
              <section aria-labelledby="w-actions" className="actions">
                <h2 id="w-actions">{i18n.t('actions')}</h2>
                {commands.length === 0 ? (
                  <p className="muted" data-testid="no-actions">
                    {i18n.t('noActions')}
                  </p>
                ) : (
                  <div className="row wrap">
                    {commands.map((type) => (
                      <button
                        key={type}
                        type="button"
                        aria-expanded={open === type}
                        onClick={() => setOpen(open === type ? undefined : type)}
                      >
                        {i18n.whistleCommand(type)}
                      </button>
                    ))}
                  </div>
                )}
                {open && commands.includes(open) && (
                  <WhistleCommandForm
                    key={open}
                    type={open}
                    view={view}
                    departments={names}
                    onCancel={() => setOpen(undefined)}
                    onDone={(next) => {
                      setOpen(undefined);
                      setView(next);
                    }}
                  />
                )}
              </section>
              {view.actions.length > 0 && (
                <>
                  <h2>{i18n.t('actionRecords')}</h2>
                  <ul data-testid="actions">
                    {view.actions.map((a) => (
                      <li key={a.id}>
                        {i18n.date(a.at)} · {a.description} · {a.power} · {i18n.t('competentDepartment')}{' '}
                        {departmentName(names, a.competentDepartmentId, i18n.lang)} ·{' '}
                        {a.officers.map((o) => departmentName(names, o.departmentId, i18n.lang)).join('、')}
                        {a.secondInspector
                          ? ` · ${i18n.t('secondInspector')} ${departmentName(names, a.secondInspector.departmentId, i18n.lang)}`
                          : ''}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <FollowUps view={view} departments={names} onDone={setView} />
              {view.feedback && (
                <p>
                  {i18n.t('feedback')}: {view.feedback}
                </p>
              )}
              {view.evaluations.length > 0 && (
                <>
                  <h2>{i18n.t('evaluations')}</h2>
                  <ul data-testid="evaluations">
                    {view.evaluations.map((e) => (
                      <li key={`${e.departmentId}-${e.evaluator}`}>
                        {departmentName(names, e.departmentId, i18n.lang)} · {i18n.t('scoreResponse')}{' '}
                        {e.response} · {i18n.t('scoreAttitude')} {e.attitude} · {i18n.t('scoreResult')}{' '}
                        {e.result}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {view.reviews.length > 0 && (
                <>
                  <h2>{i18n.t('reviews')}</h2>
                  <ul>
                    {view.reviews.map((r) => (
                      <li key={r.at}>
                        {i18n.date(r.at)}{' '}
                        {i18n.whistleCommand(
                          r.outcome === 'approved'
                            ? 'approve'
                            : r.outcome === 'returned'
                              ? 'return'
                              : 'reject',
                        )}
                        {r.reason ? `：${r.reason}` : ''}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <h2>{i18n.t('timeline')}</h2>
              <ol className="timeline">
                {(view.timeline ?? []).map((event, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only, so positions are stable
                  <li key={index}>
                    <time dateTime={event.at}>{i18n.date(event.at)}</time>{' '}
                    <strong>{i18n.whistleEvent(event.type)}</strong>
                    {event.actor && (
                      <span className="muted">
                        {' '}
                        · {i18n.role(event.actor.role)}
                        {event.actor.departmentId
                          ? ` ${departmentName(names, event.actor.departmentId, i18n.lang)}`
                          : ''}
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            </div>
          );
        }}
      </Show>
    </section>
  );
}
