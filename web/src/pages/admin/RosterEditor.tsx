import type { Roster } from '@civicgrid/domain';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { fill } from '../../hierarchy';
import { type MessageKey, useT } from '../../i18n';
import {
  blankMember,
  formStaffing,
  type ListRole,
  listMax,
  listRoles,
  type MemberForm,
  NAME_MAX,
  type RosterErrors,
  type RosterProblem,
  requiredRoles,
  rosterPatch,
  rosterToForm,
  type SingleRole,
  SUPERVISORS_MAX,
  singleRoles,
  validateRoster,
} from '../../roster';

/** The grid as the editor needs it (a part of `GET /v1/org/units/{code}`). */
export interface RosterUnit {
  code: string;
  parentCode?: string;
  gridKind?: 'basic' | 'exclusive';
  version: number;
  roster?: Partial<Roster>;
  supervisors?: string[];
}

export const roleKeys: Record<SingleRole | ListRole, MessageKey> = {
  liaison: 'rosterLiaison',
  gridHead: 'rosterGridHead',
  fullTime: 'rosterFullTime',
  partTime: 'rosterPartTime',
  volunteers: 'rosterVolunteer',
};

const problemKeys: Record<RosterProblem, MessageKey> = {
  nameRequired: 'rosterErrNameRequired',
  nameTooLong: 'rosterErrNameTooLong',
  phoneInvalid: 'rosterErrPhoneInvalid',
  tooMany: 'rosterErrTooMany',
  supervisorsTooMany: 'rosterErrSupervisorsTooMany',
  supervisorsCannotClear: 'rosterErrSupervisorsCannotClear',
};

/** A field's note under it, tied to the input by `aria-describedby`. */
function FieldError(props: { id: string; problem: RosterProblem | undefined; max?: number }) {
  const { t } = useT();
  if (!props.problem) return null;
  return (
    <span id={props.id} className="error small field-error">
      {fill(t(problemKeys[props.problem]), { max: props.max ?? '' })}
    </span>
  );
}

/** One person: name and phone; `who` ("专职网格员 2") goes before each label for screen readers. */
function MemberFields(props: {
  id: string;
  path: string;
  who: string;
  member: MemberForm;
  errors: RosterErrors;
  onChange: (member: MemberForm) => void;
  children?: ReactNode;
}) {
  const { t } = useT();
  const nameError = props.errors[`${props.path}.name`];
  const phoneError = props.errors[`${props.path}.phone`];
  return (
    <div className="roster-row">
      <div className="field">
        <label htmlFor={`${props.id}-name`}>
          <span className="sr-only">{props.who} </span>
          {t('rosterName')}
        </label>
        <input
          id={`${props.id}-name`}
          data-field={`${props.path}.name`}
          value={props.member.name}
          maxLength={NAME_MAX}
          autoComplete="off"
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${props.id}-name-error` : undefined}
          onChange={(e) => props.onChange({ ...props.member, name: e.target.value })}
        />
        <FieldError id={`${props.id}-name-error`} problem={nameError} />
      </div>
      <div className="field">
        <label htmlFor={`${props.id}-phone`}>
          <span className="sr-only">{props.who} </span>
          {t('rosterPhone')}
        </label>
        <input
          id={`${props.id}-phone`}
          data-field={`${props.path}.phone`}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={props.member.phone}
          aria-invalid={phoneError ? true : undefined}
          aria-describedby={phoneError ? `${props.id}-phone-error` : undefined}
          onChange={(e) => props.onChange({ ...props.member, phone: e.target.value })}
        />
        <FieldError id={`${props.id}-phone-error`} problem={phoneError} />
      </div>
      {props.children}
    </div>
  );
}

/**
 * A grid's people (网格联络员, 网格长, 专职/兼职网格员, 志愿者) and its 监督员, checked by the API's
 * rules before they are sent, with the staffing model's check as the form stands.
 */
export function RosterEditor(props: {
  unit: RosterUnit;
  /** Sends the PATCH body; a rejection is shown (a 409 reloads the unit in the caller). */
  onSave: (body: ReturnType<typeof rosterPatch>) => Promise<void>;
  error: ReactNode;
  busy: boolean;
}) {
  const i18n = useT();
  const id = useId();
  const { unit } = props;
  const [form, setForm] = useState(() => rosterToForm(unit.roster, unit.supervisors));
  const [checked, setChecked] = useState(false);
  const [focusField, setFocusField] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const hadSupervisors = (unit.supervisors?.length ?? 0) > 0;
  // The unit read again (after a save or someone else's change): the form shows what is stored.
  const { roster, supervisors, version } = unit;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version is what says the stored roster changed
  useEffect(() => {
    setForm(rosterToForm(roster, supervisors));
    setChecked(false);
  }, [version]);
  useEffect(() => {
    if (!focusField) return;
    formRef.current?.querySelector<HTMLElement>(`[data-field="${focusField}"]`)?.focus();
    setFocusField(undefined);
  }, [focusField]);

  const errors = checked ? validateRoster(form, hadSupervisors) : {};
  const errorCount = Object.keys(errors).length;
  const staffing = formStaffing(form, unit.gridKind, unit.parentCode);
  const role = (key: SingleRole | ListRole) => i18n.t(roleKeys[key]);
  const required = requiredRoles(staffing.model);
  const requiredMark = (key: SingleRole | ListRole) =>
    required.has(key) ? (
      <span className="muted small"> · {fill(i18n.t('rosterRequiredBy'), { model: staffing.model })}</span>
    ) : null;

  const setList = (key: ListRole, list: MemberForm[]) => setForm((f) => ({ ...f, [key]: list }));
  const setSupervisors = (list: string[]) => setForm((f) => ({ ...f, supervisors: list }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateRoster(form, hadSupervisors);
    setChecked(true);
    const first = Object.keys(found)[0];
    if (first) {
      // The first field to fix takes the focus (a list's problem: its add button).
      setFocusField(first);
      return;
    }
    void props.onSave(rosterPatch(form, unit.version));
  };

  return (
    <form ref={formRef} onSubmit={submit} aria-labelledby={`${id}-title`} noValidate className="roster">
      <h3 id={`${id}-title`}>{i18n.t('rosterTitle')}</h3>
      <p className="muted small">{i18n.t('rosterHint')}</p>
      <p
        className={staffing.complete ? 'ok small' : 'small'}
        data-testid="roster-staffing"
        data-complete={staffing.complete}
        aria-live="polite"
      >
        <strong>{i18n.t('rosterStaffing')}</strong>:{' '}
        {staffing.complete
          ? fill(i18n.t('rosterStaffingComplete'), { model: staffing.model })
          : fill(i18n.t('rosterStaffingMissing'), {
              model: staffing.model,
              missing: staffing.missing.map((m) => role(m)).join('、'),
            })}{' '}
        <span className="muted">({i18n.t('rosterStaffingHint')})</span>
      </p>

      {singleRoles.map((key) => (
        <fieldset key={key}>
          <legend>
            {role(key)}
            {requiredMark(key)}
          </legend>
          <MemberFields
            id={`${id}-${key}`}
            path={key}
            who={role(key)}
            member={form[key]}
            errors={errors}
            onChange={(member) => setForm((f) => ({ ...f, [key]: member }))}
          />
        </fieldset>
      ))}

      {listRoles.map((key) => {
        const list = form[key];
        return (
          <fieldset key={key} aria-describedby={errors[key] ? `${id}-${key}-error` : undefined}>
            <legend>
              {role(key)} <span className="muted small">({list.length})</span>
              {requiredMark(key)}
            </legend>
            {list.length === 0 && <p className="muted small">{i18n.t('rosterNone')}</p>}
            {list.map((member, index) => {
              const who = fill(i18n.t('rosterRow'), { role: role(key), n: index + 1 });
              return (
                <MemberFields
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are controlled and kept in order
                  key={index}
                  id={`${id}-${key}-${index}`}
                  path={`${key}.${index}`}
                  who={who}
                  member={member}
                  errors={errors}
                  onChange={(changed) =>
                    setList(
                      key,
                      list.map((m, i) => (i === index ? changed : m)),
                    )
                  }
                >
                  <button
                    type="button"
                    className="roster-remove"
                    aria-label={`${i18n.t('rosterRemove')} ${who}`}
                    onClick={() => {
                      setList(
                        key,
                        list.filter((_, i) => i !== index),
                      );
                      setFocusField(key);
                    }}
                  >
                    {i18n.t('rosterRemove')}
                  </button>
                </MemberFields>
              );
            })}
            <FieldError id={`${id}-${key}-error`} problem={errors[key]} max={listMax[key]} />
            <button
              type="button"
              data-field={key}
              disabled={list.length >= listMax[key]}
              onClick={() => {
                setList(key, [...list, blankMember()]);
                setFocusField(`${key}.${list.length}.name`);
              }}
            >
              {fill(i18n.t('rosterAdd'), { role: role(key) })}
            </button>
          </fieldset>
        );
      })}

      <fieldset aria-describedby={`${id}-sup-hint${errors.supervisors ? ` ${id}-sup-error` : ''}`}>
        <legend>{i18n.t('supervisors')}</legend>
        <p id={`${id}-sup-hint`} className="muted small">
          {i18n.t('rosterSupervisorsHint')}
        </p>
        {form.supervisors.map((name, index) => {
          const who = fill(i18n.t('rosterRow'), { role: i18n.t('supervisors'), n: index + 1 });
          const problem = errors[`supervisors.${index}`];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are controlled and kept in order
            <div className="roster-row" key={index}>
              <div className="field">
                <label htmlFor={`${id}-sup-${index}`}>
                  <span className="sr-only">{who} </span>
                  {i18n.t('rosterName')}
                </label>
                <input
                  id={`${id}-sup-${index}`}
                  data-field={`supervisors.${index}`}
                  value={name}
                  maxLength={NAME_MAX}
                  autoComplete="off"
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? `${id}-sup-${index}-error` : undefined}
                  onChange={(e) =>
                    setSupervisors(form.supervisors.map((s, i) => (i === index ? e.target.value : s)))
                  }
                />
                <FieldError id={`${id}-sup-${index}-error`} problem={problem} />
              </div>
              <button
                type="button"
                className="roster-remove"
                aria-label={`${i18n.t('rosterRemove')} ${who}`}
                onClick={() => {
                  setSupervisors(form.supervisors.filter((_, i) => i !== index));
                  setFocusField('supervisors');
                }}
              >
                {i18n.t('rosterRemove')}
              </button>
            </div>
          );
        })}
        <FieldError id={`${id}-sup-error`} problem={errors.supervisors} />
        <button
          type="button"
          data-field="supervisors"
          disabled={form.supervisors.length >= SUPERVISORS_MAX}
          onClick={() => {
            setSupervisors([...form.supervisors, '']);
            setFocusField(`supervisors.${form.supervisors.length}`);
          }}
        >
          {fill(i18n.t('rosterAdd'), { role: i18n.t('supervisors') })}
        </button>
      </fieldset>

      {errorCount > 0 && (
        <p className="error" role="alert">
          {fill(i18n.t('rosterInvalid'), { count: errorCount })}
        </p>
      )}
      {props.error}
      <button type="submit" className="primary" disabled={props.busy}>
        {i18n.t('rosterSave')}
      </button>
    </form>
  );
}
