import type { CaseCommandType } from '@civicgrid/domain';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { CaseRow, CaseView } from '../actions';
import type { ApiClient } from '../api';
import { buildCommand, commandFields, type FieldSpec, type FieldValue } from '../commands';
import { type Category, categoryName, type Department, departmentName } from '../data';
import { useLoad } from '../hooks';
import { useT } from '../i18n';
import { PhotoInput } from './PhotoInput';
import { ErrorText, Show } from './Status';

type Command = Exclude<CaseCommandType, 'report'>;

/** One command of the case loop, with the fields it requires; sends it and hands back the new case. */
export function CommandForm(props: {
  type: Command;
  view: CaseView;
  api: ApiClient;
  departments: Department[];
  categories: Category[];
  onDone: (next: CaseView) => void;
  onCancel: () => void;
}) {
  const i18n = useT();
  const formId = useId();
  const [values, setValues] = useState<Record<string, FieldValue>>(() =>
    props.type === 'register' && props.view.categoryCode ? { categoryCode: props.view.categoryCode } : {},
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState<string[]>([]);
  const set = (name: string, value: FieldValue) => setValues((v) => ({ ...v, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildCommand(props.type, values);
    if ('missing' in built) {
      setMissing(built.missing);
      return;
    }
    setMissing([]);
    setBusy(true);
    setError(undefined);
    try {
      props.onDone(await props.api.post<CaseView>(`/v1/cases/${props.view.id}/commands`, built.body));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const field = (spec: FieldSpec) => {
    const id = `${formId}-${spec.name}`;
    const label = `${i18n.t(spec.label)}${spec.required ? ` (${i18n.t('required')})` : ''}`;
    const invalid = missing.includes(spec.name);
    const common = { id, name: spec.name, 'aria-invalid': invalid || undefined, required: spec.required };
    const value = values[spec.name];
    switch (spec.kind) {
      case 'photos':
        return (
          <PhotoInput
            key={spec.name}
            api={props.api}
            name={spec.name}
            label={i18n.t(spec.label)}
            required={spec.required}
            onChange={(ids) => set(spec.name, ids)}
          />
        );
      case 'confirmed':
        return (
          <label key={spec.name} className="check">
            <input
              type="checkbox"
              name={spec.name}
              checked={value === true}
              onChange={(e) => set(spec.name, e.target.checked)}
            />
            {i18n.t('confirmed')}
          </label>
        );
      case 'departments': {
        const chosen = Array.isArray(value) ? value : [];
        const taken = new Set(props.view.assignments.map((a) => a.departmentId));
        return (
          <fieldset key={spec.name} aria-invalid={invalid || undefined}>
            <legend>{label}</legend>
            <div className="choices">
              {props.departments
                .filter((d) => !taken.has(d.id))
                .map((d) => (
                  <label key={d.id} className="check">
                    <input
                      type="checkbox"
                      name={spec.name}
                      value={d.id}
                      checked={chosen.includes(d.id)}
                      onChange={(e) =>
                        set(
                          spec.name,
                          e.target.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id),
                        )
                      }
                    />
                    {departmentName(props.departments, d.id, i18n.lang)}
                  </label>
                ))}
            </div>
          </fieldset>
        );
      }
      case 'category':
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={id}>{label}</label>
            <select {...common} value={String(value ?? '')} onChange={(e) => set(spec.name, e.target.value)}>
              <option value="">—</option>
              {props.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code} {categoryName(props.categories, c.code, i18n.lang)}
                </option>
              ))}
            </select>
          </div>
        );
      case 'satisfaction':
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={id}>{label}</label>
            <select {...common} value={String(value ?? '')} onChange={(e) => set(spec.name, e.target.value)}>
              <option value="">—</option>
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {'★'.repeat(n)} {n}
                </option>
              ))}
            </select>
          </div>
        );
      case 'extension':
      case 'urging': {
        const options =
          spec.kind === 'extension'
            ? props.view.extensions
                .filter((e) => e.status === 'pending')
                .map((e) => ({
                  id: e.id,
                  text: `#${e.id} ${departmentName(props.departments, e.departmentId, i18n.lang)} → ${i18n.date(e.requestedUntil)}`,
                }))
            : props.view.urgings
                .filter((u) => props.view.urgingsToAcknowledge?.includes(u.id))
                .map((u) => ({ id: u.id, text: `#${u.id} ${u.message}` }));
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={id}>{label}</label>
            <select {...common} value={String(value ?? '')} onChange={(e) => set(spec.name, e.target.value)}>
              <option value="">—</option>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.text}
                </option>
              ))}
            </select>
          </div>
        );
      }
      case 'position':
        return (
          <DevicePosition
            key={spec.name}
            label={i18n.t(spec.label)}
            value={typeof value === 'string' ? value : undefined}
            onChange={(position) => set(spec.name, position)}
          />
        );
      case 'primaryCase':
        return (
          <MergeCandidates
            key={spec.name}
            api={props.api}
            caseId={props.view.id}
            name={spec.name}
            legend={label}
            invalid={invalid}
            categories={props.categories}
            value={typeof value === 'string' ? value : undefined}
            onChange={(id) => set(spec.name, id)}
          />
        );
      case 'datetime':
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={id}>{label}</label>
            <input
              {...common}
              type="datetime-local"
              value={String(value ?? '')}
              onChange={(e) => set(spec.name, e.target.value)}
            />
          </div>
        );
      case 'textarea':
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={id}>{label}</label>
            <textarea
              {...common}
              rows={3}
              value={String(value ?? '')}
              onChange={(e) => set(spec.name, e.target.value)}
            />
          </div>
        );
      default:
        return (
          <div className="field" key={spec.name}>
            <label htmlFor={id}>{label}</label>
            <input {...common} value={String(value ?? '')} onChange={(e) => set(spec.name, e.target.value)} />
          </div>
        );
    }
  };

  return (
    <form className="command card" onSubmit={submit} aria-label={i18n.command(props.type)} noValidate>
      <h3>{i18n.command(props.type)}</h3>
      {commandFields[props.type].map(field)}
      {missing.length > 0 && (
        <p className="error" role="alert">
          {i18n.t('required')}:{' '}
          {missing
            .map((name) => commandFields[props.type].find((s) => s.name === name))
            .map((s) => (s ? i18n.t(s.label) : ''))
            .join('、')}
        </p>
      )}
      <ErrorText error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {i18n.t('submit')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {i18n.t('cancel')}
        </button>
      </div>
    </form>
  );
}

type Candidate = CaseRow & { distanceM: number };

/** The open cases nearby that the API offers as the primary of a merge, to pick one from. */
function MergeCandidates(props: {
  api: ApiClient;
  caseId: string;
  name: string;
  legend: string;
  invalid: boolean;
  categories: Category[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const i18n = useT();
  const [candidates, retry] = useLoad(
    () => props.api.get<{ items: Candidate[] }>(`/v1/cases/${props.caseId}/merge-candidates`),
    `merge-${props.caseId}`,
  );
  return (
    <fieldset aria-invalid={props.invalid || undefined} data-testid="merge-candidates">
      <legend>{props.legend}</legend>
      <p className="muted small">{i18n.t('mergeCandidates')}</p>
      <Show data={candidates} retry={retry}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">{i18n.t('noMergeCandidates')}</p>
          ) : (
            // One per line: a candidate is read by its description. (styles.css sizes only checkboxes
            // as boxes, hence the radio's own size.)
            <div style={{ display: 'grid', gap: '0.5rem' }}>
              {items.map((c) => (
                <label key={c.id} className="check">
                  <input
                    style={{ width: 'auto', minHeight: 'auto' }}
                    type="radio"
                    name={props.name}
                    value={c.id}
                    checked={props.value === c.id}
                    onChange={() => props.onChange(c.id)}
                  />
                  <span>
                    {c.description || categoryName(props.categories, c.categoryCode, i18n.lang) || c.id}{' '}
                    <span className="muted small">
                      · {i18n.status(c.status)} · {c.distanceM} {i18n.t('metres')} · {i18n.date(c.reportedAt)}
                    </span>
                  </span>
                </label>
              ))}
            </div>
          )
        }
      </Show>
    </fieldset>
  );
}

/**
 * The phone's position, taken as the form opens (the grid worker stands on site), sent with the
 * command as "lon,lat"; without one the command goes without it.
 */
function DevicePosition(props: {
  label: string;
  value: string | undefined;
  onChange: (position: string | undefined) => void;
}) {
  const i18n = useT();
  const [state, setState] = useState<'locating' | 'done' | 'failed'>('locating');
  // The form hands a new callback each render; locate once, with whichever is current.
  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  const locate = useCallback(() => {
    const onChange = (position: string | undefined) => onChangeRef.current(position);
    if (!navigator.geolocation) {
      setState('failed');
      return;
    }
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        onChange(`${p.coords.longitude.toFixed(6)},${p.coords.latitude.toFixed(6)}`);
        setState('done');
      },
      () => {
        onChange(undefined);
        setState('failed');
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }, []);
  useEffect(() => locate(), [locate]);
  return (
    <div className="field">
      <span className="label">{props.label}</span>
      <span className="muted small" aria-live="polite" data-testid="device-position" data-state={state}>
        {state === 'locating'
          ? i18n.t('locating')
          : state === 'done'
            ? `${i18n.t('positionRecorded')} (${props.value})`
            : i18n.t('positionUnavailable')}
      </span>
      {state === 'failed' && (
        <button type="button" onClick={locate}>
          {i18n.t('useMyLocation')}
        </button>
      )}
    </div>
  );
}
