import { type FormEvent, useId, useState } from 'react';
import type { ApiClient } from '../../api';
import { ApiError } from '../../api';
import { Show } from '../../components/Status';
import { Table } from '../../components/Table';
import { allDepartments, forgetDepartments } from '../../data';
import { useApp, useLoad } from '../../hooks';
import { type Translator, useT } from '../../i18n';
import {
  createBody,
  type DepartmentField,
  type DepartmentForm,
  type DepartmentView,
  emptyDepartmentForm,
  type FieldProblem,
  type FieldProblems,
  type FormResult,
  formOf,
  patchBody,
} from './department-form';
import { Notice, Problems } from './Problems';

/** Every department of the city, read afresh (the pages' shared list is cached per session). */
export const readDepartments = (api: ApiClient) => allDepartments<DepartmentView>(api);

const problemText = (problem: FieldProblem, i18n: Translator) =>
  i18n.t(problem.key).replace('{line}', String(problem.line ?? ''));

/** The inputs of a department, each with its label, hint and the problem found before sending. */
function Fields(props: {
  form: DepartmentForm;
  set: (form: DepartmentForm) => void;
  problems: FieldProblems;
  idFixed?: boolean;
}) {
  const i18n = useT();
  const id = useId();
  const { form, set, problems } = props;
  const field = (name: DepartmentField, label: string, hint?: string, multiline = false) => {
    const problem = problems[name];
    const describedBy = [hint ? `${id}-${name}-hint` : '', problem ? `${id}-${name}-err` : '']
      .filter(Boolean)
      .join(' ');
    const common = {
      id: `${id}-${name}`,
      value: form[name],
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': describedBy || undefined,
    };
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        {multiline ? (
          <textarea {...common} rows={3} onChange={(e) => set({ ...form, [name]: e.target.value })} />
        ) : (
          <input
            {...common}
            autoComplete="off"
            readOnly={name === 'id' && props.idFixed}
            onChange={(e) => set({ ...form, [name]: e.target.value })}
          />
        )}
        {hint && (
          <small id={`${id}-${name}-hint`} className="muted small">
            {hint}
          </small>
        )}
        {problem && (
          <small id={`${id}-${name}-err`} className="error">
            {problemText(problem, i18n)}
          </small>
        )}
      </div>
    );
  };
  return (
    <div className="grid2">
      {field('id', i18n.t('depId'), props.idFixed ? undefined : i18n.t('depIdHint'))}
      {field('code', i18n.t('depCode'))}
      {field('name', i18n.t('depName'))}
      {field('nameEn', i18n.t('depNameEn'))}
      <div className="field">
        <label htmlFor={`${id}-kind`}>{i18n.t('depKind')}</label>
        <select
          id={`${id}-kind`}
          value={form.kind}
          onChange={(e) => set({ ...form, kind: e.target.value as DepartmentForm['kind'] })}
        >
          <option value="resident">{i18n.t('depKindResident')}</option>
          <option value="on_call">{i18n.t('depKindOnCall')}</option>
        </select>
      </div>
      {field('servesOrgCodes', i18n.t('depServes'), i18n.t('depServesHint'))}
      {field('contacts', i18n.t('depContacts'), i18n.t('depContactsHint'), true)}
    </div>
  );
}

/**
 * A department form's state and its submit: the form is checked first (its problems shown by the fields),
 * then `send` gets the body; `failed` may mark fields or handle an API error, else the error is shown.
 */
function useDepartmentForm<B>(
  initial: DepartmentForm | (() => DepartmentForm),
  body: (form: DepartmentForm) => FormResult<B>,
) {
  const i18n = useT();
  const [form, setForm] = useState<DepartmentForm>(initial);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit =
    (send: (body: B) => Promise<void>, failed?: (cause: unknown) => boolean) => async (event: FormEvent) => {
      event.preventDefault();
      setError(undefined);
      setNotice(undefined);
      const result = body(form);
      if (!result.ok) {
        setProblems('problems' in result ? result.problems : {});
        if ('unchanged' in result) setNotice(i18n.t('depNothingChanged'));
        return;
      }
      setProblems({});
      setBusy(true);
      try {
        await send(result.body);
      } catch (cause) {
        if (!failed?.(cause)) setError(cause);
      } finally {
        setBusy(false);
      }
    };
  return { form, setForm, problems, setProblems, error, notice, setNotice, busy, submit };
}

function NewDepartment({ onCreated }: { onCreated: () => void }) {
  const { api, session } = useApp();
  const i18n = useT();
  const { form, setForm, problems, setProblems, error, notice, setNotice, busy, submit } = useDepartmentForm(
    emptyDepartmentForm,
    createBody,
  );
  const create = submit(
    async (body) => {
      await api.post('/v1/departments', body);
      forgetDepartments(session);
      setForm(emptyDepartmentForm);
      setNotice(`${i18n.t('depCreated')}: ${body.name}`);
      onCreated();
    },
    (cause) => {
      if (cause instanceof ApiError && cause.code === 'already_exists') {
        setProblems({ id: { key: 'depErrExists' } });
      }
      return false;
    },
  );

  return (
    <form className="card" onSubmit={create} aria-label={i18n.t('depNew')} noValidate>
      <h3>{i18n.t('depNew')}</h3>
      <Fields form={form} set={setForm} problems={problems} />
      <Problems error={error} />
      <Notice text={notice} />
      <button type="submit" className="primary" disabled={busy}>
        {i18n.t('depCreate')}
      </button>
    </form>
  );
}

/**
 * Edits one department. The form starts from the version read (the parent keys it by id and
 * version); a 409 reloads the latest and says so, since someone else's change must not be overwritten.
 */
function EditDepartment(props: {
  department: DepartmentView;
  onDone: (notice: string, saved: boolean) => void;
  onCancel: () => void;
}) {
  const { api, session } = useApp();
  const i18n = useT();
  const { department } = props;
  const { form, setForm, problems, error, notice, busy, submit } = useDepartmentForm(
    () => formOf(department),
    (next) => patchBody(department, next),
  );
  const save = submit(
    async (body) => {
      await api.patch(`/v1/departments/${encodeURIComponent(department.id)}`, body);
      forgetDepartments(session);
      props.onDone(`${i18n.t('depSaved')}: ${form.name.trim()}`, true);
    },
    (cause) => {
      if (!(cause instanceof ApiError && cause.status === 409)) return false;
      props.onDone(i18n.t('depConflict'), false);
      return true;
    },
  );

  return (
    <form className="card" onSubmit={save} aria-label={i18n.t('depEdit')} noValidate>
      <h3>
        {i18n.t('depEdit')} · {department.name}
      </h3>
      <Fields form={form} set={setForm} problems={problems} idFixed />
      <Problems error={error} keys={{ invalid_catalog: 'depErrUnroutable' }} />
      <Notice text={notice} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {i18n.t('depSave')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {i18n.t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** The city's departments (职能部门): list, add, edit, and install the standard "1+5+N" set. */
export function DepartmentsAdmin() {
  const { api, session } = useApp();
  const i18n = useT();
  const [departments, reload] = useLoad(() => readDepartments(api), 'admin-departments');
  const [editing, setEditing] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const installDefaults = async () => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const result = await api.post<{ created: number; departmentIds: string[] }>(
        '/v1/departments/defaults',
        {},
      );
      forgetDepartments(session);
      setNotice(
        result.created > 0
          ? `${i18n.t('depInstalled')}: ${result.departmentIds.join(', ')}`
          : i18n.t('depInstalledNone'),
      );
      reload();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const name = (d: DepartmentView) => (i18n.lang === 'en' && d.nameEn ? d.nameEn : d.name);

  return (
    <section aria-labelledby="departments-title">
      <div className="row spread wrap">
        <h2 id="departments-title">{i18n.t('depTitle')}</h2>
        <button type="button" className="can-wrap" onClick={() => void installDefaults()} disabled={busy}>
          {i18n.t('depInstallDefaults')}
        </button>
      </div>
      <Notice text={notice} />
      <Problems error={error} />
      <Show data={departments} retry={reload}>
        {(items) => {
          const current = items.find((d) => d.id === editing);
          return (
            <>
              {current && (
                <EditDepartment
                  key={`${current.id}:${current.version}`}
                  department={current}
                  onDone={(text, saved) => {
                    setNotice(text);
                    if (saved) setEditing(undefined);
                    reload();
                  }}
                  onCancel={() => setEditing(undefined)}
                />
              )}
              {items.length === 0 ? (
                <p className="muted">{i18n.t('empty')}</p>
              ) : (
                <Table
                  caption={i18n.t('depTitle')}
                  heads={[
                    i18n.t('depId'),
                    i18n.t('depCode'),
                    i18n.t('name'),
                    i18n.t('depKind'),
                    i18n.t('depServes'),
                    i18n.t('depContacts'),
                  ]}
                  actionsHead={i18n.t('actions')}
                >
                  {items.map((d) => (
                    <tr key={d.id} data-department={d.id}>
                      <td>{d.id}</td>
                      <td>{d.code}</td>
                      <td>{name(d)}</td>
                      <td>{i18n.t(d.kind === 'resident' ? 'depKindResident' : 'depKindOnCall')}</td>
                      <td>
                        {d.servesOrgCodes.length > 0 ? d.servesOrgCodes.join(', ') : i18n.t('depWholeCity')}
                      </td>
                      <td>{d.contacts.map((c) => `${c.name} ${c.phone}`).join('；')}</td>
                      <td>
                        <button
                          type="button"
                          aria-label={`${i18n.t('depEdit')} ${name(d)}`}
                          onClick={() => setEditing(d.id)}
                        >
                          {i18n.t('depEdit')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </Table>
              )}
            </>
          );
        }}
      </Show>
      <NewDepartment
        onCreated={() => {
          setNotice(undefined);
          reload();
        }}
      />
    </section>
  );
}
