import type { Category, DutyLevel, TimeLimit } from '@civicgrid/domain';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api';
import { Show } from '../../components/Status';
import { Table } from '../../components/Table';
import { useApp, useLoad } from '../../hooks';
import { useT } from '../../i18n';
import {
  type CatalogView,
  changedCategories,
  type Drafts,
  draftsOf,
  type EntryDraft,
  isOverridden,
  levelKeys,
  limitText,
  newEntryDraft,
  overridesBody,
  type PutOverrides,
  revertBody,
  routePath,
  unroutedReasonKeys,
} from './catalog-overrides';
import { readDepartments } from './Departments';
import type { DepartmentView } from './department-form';
import { Notice, Problems } from './Problems';

interface RouteAnswer {
  kind: 'routed' | 'unrouted';
  categoryCode: string;
  departmentId?: string;
  level?: DutyLevel;
  handlingLimit?: TimeLimit;
  handlingOrgCode?: string;
  catalogVersion?: string;
  reason?: string;
  candidates?: string[];
}

const levels: DutyLevel[] = ['community', 'street', 'district'];

const categoryLabel = (category: Category, lang: 'zh' | 'en') =>
  `${category.major.name[lang]} / ${category.minor.name[lang]}`;

/** Which department a category goes to at a place, asked of the API with the catalog as saved. */
function TryRouting(props: { categories: Category[]; departments: DepartmentView[] }) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const [categoryCode, setCategoryCode] = useState(props.categories[0]?.code ?? '');
  const [orgCode, setOrgCode] = useState('');
  const [answer, setAnswer] = useState<RouteAnswer>();
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAnswer(undefined);
    setError(undefined);
    const path = routePath(categoryCode, orgCode);
    if ('problem' in path) {
      setProblem(i18n.t(path.problem));
      return;
    }
    setProblem(undefined);
    try {
      setAnswer(await api.get<RouteAnswer>(path.path));
    } catch (cause) {
      setError(cause);
    }
  };
  const departmentName = (departmentId: string) => {
    const found = props.departments.find((d) => d.id === departmentId);
    return found ? (i18n.lang === 'en' && found.nameEn ? found.nameEn : found.name) : departmentId;
  };

  return (
    <form className="card" onSubmit={submit} aria-label={i18n.t('catTry')} noValidate>
      <h3>{i18n.t('catTry')}</h3>
      <p className="muted small">{i18n.t('catTryHint')}</p>
      <div className="row wrap">
        <div className="field">
          <label htmlFor={`${id}-c`}>{i18n.t('catCategory')}</label>
          <select id={`${id}-c`} value={categoryCode} onChange={(e) => setCategoryCode(e.target.value)}>
            {props.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} {categoryLabel(c, i18n.lang)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-o`}>{i18n.t('catTryOrg')}</label>
          <input
            id={`${id}-o`}
            value={orgCode}
            inputMode="numeric"
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setOrgCode(e.target.value)}
          />
          {problem && <small className="error">{problem}</small>}
        </div>
      </div>
      <button type="submit">{i18n.t('catTryRun')}</button>
      <Problems error={error} />
      {answer && (
        <output className="notice" data-testid="route-answer">
          {answer.kind === 'routed' && answer.departmentId ? (
            <>
              {i18n.t('catRoutedTo')}: <strong>{departmentName(answer.departmentId)}</strong> ·{' '}
              {answer.level && i18n.t(levelKeys[answer.level])}
              {answer.handlingOrgCode ? ` ${answer.handlingOrgCode}` : ''}
              {answer.handlingLimit && ` · ${limitText(answer.handlingLimit, i18n.t)}`}
              {answer.catalogVersion && (
                <span className="muted small">
                  {' '}
                  · {i18n.t('catVersion')} {answer.catalogVersion}
                </span>
              )}
            </>
          ) : (
            <>
              {i18n.t('catUnrouted')}: {i18n.t(unroutedReasonKeys[answer.reason ?? ''] ?? 'errOther')}
              {answer.candidates && answer.candidates.length > 0 && ` (${answer.candidates.join(', ')})`}
            </>
          )}
        </output>
      )}
    </form>
  );
}

/** One duty entry's editable cells: department, level and handling limit. */
function EntryCells(props: {
  code: string;
  index: number;
  draft: EntryDraft;
  invalid: boolean;
  departments: DepartmentView[];
  set: (draft: EntryDraft) => void;
}) {
  const i18n = useT();
  const { code, draft, set } = props;
  const suffix = props.index > 0 ? ` #${props.index + 1}` : '';
  const label = (key: 'catDepartment' | 'catLevel' | 'catAmount' | 'catUnit' | 'catBasis') =>
    `${i18n.t(key)} ${code}${suffix}`;
  const off = draft.departmentId === '';
  const errorId = `${useId()}-amount`;
  return (
    <>
      <td>
        <select
          aria-label={label('catDepartment')}
          value={draft.departmentId}
          onChange={(e) => set({ ...draft, departmentId: e.target.value })}
        >
          <option value="">{i18n.t('catNoDepartment')}</option>
          {props.departments.map((d) => (
            <option key={d.id} value={d.id}>
              {i18n.lang === 'en' && d.nameEn ? d.nameEn : d.name}
            </option>
          ))}
          {!off && !props.departments.some((d) => d.id === draft.departmentId) && (
            <option value={draft.departmentId}>{draft.departmentId}</option>
          )}
        </select>
      </td>
      <td>
        <select
          aria-label={label('catLevel')}
          value={draft.level}
          disabled={off}
          onChange={(e) => set({ ...draft, level: e.target.value as DutyLevel })}
        >
          {levels.map((level) => (
            <option key={level} value={level}>
              {i18n.t(levelKeys[level])}
            </option>
          ))}
        </select>
      </td>
      <td>
        <div className="row">
          <input
            aria-label={label('catAmount')}
            value={draft.amount}
            disabled={off}
            inputMode="numeric"
            size={3}
            aria-invalid={props.invalid ? true : undefined}
            aria-describedby={props.invalid ? errorId : undefined}
            onChange={(e) => set({ ...draft, amount: e.target.value })}
          />
          <select
            aria-label={label('catUnit')}
            className="limit-select"
            value={draft.unit}
            disabled={off}
            onChange={(e) => set({ ...draft, unit: e.target.value as TimeLimit['unit'] })}
          >
            <option value="hours">{i18n.t('catHours')}</option>
            <option value="days">{i18n.t('catDays')}</option>
          </select>
          <select
            aria-label={label('catBasis')}
            className="limit-select"
            value={draft.basis}
            disabled={off}
            onChange={(e) => set({ ...draft, basis: e.target.value as TimeLimit['basis'] })}
          >
            <option value="working">{i18n.t('catWorking')}</option>
            <option value="natural">{i18n.t('catNatural')}</option>
          </select>
        </div>
        {props.invalid && (
          <small id={errorId} className="error">
            {i18n.t('catErrAmount')}
          </small>
        )}
      </td>
      <td>{draft.keep?.areas?.join(', ') ?? ''}</td>
    </>
  );
}

/** The catalog as read, edited in place; keyed by the overrides' version, so a reload restarts it. */
function CatalogEditor(props: {
  view: CatalogView;
  departments: DepartmentView[];
  /** Kept by the parent, so that it survives the reload after a save. */
  filter: [string, (filter: string) => void];
  onDone: (notice: string) => void;
}) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const { view } = props;
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(view));
  const [invalid, setInvalid] = useState<Record<string, number[]>>({});
  const [filter, setFilter] = props.filter;
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const put = async (body: PutOverrides) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await api.put('/v1/catalog/overrides', body);
      props.onDone(i18n.t('catSaved'));
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 409) props.onDone(i18n.t('catConflict'));
      else setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const result = overridesBody(view, drafts);
    if (!result.ok) {
      if ('unchanged' in result) setNotice(i18n.t('catNothingChanged'));
      else setInvalid(result.invalid);
      return;
    }
    setInvalid({});
    void put(result.body);
  };

  const changed = changedCategories(view, drafts).length;
  const needle = filter.trim().toLowerCase();
  const shown = view.catalog.categories.filter(
    (c) =>
      needle === '' ||
      c.code.toLowerCase().includes(needle) ||
      categoryLabel(c, 'zh').includes(needle) ||
      categoryLabel(c, 'en').toLowerCase().includes(needle),
  );
  const setDraft = (code: string, index: number, draft: EntryDraft) =>
    setDrafts((all) => ({
      ...all,
      [code]: (all[code] ?? [newEntryDraft()]).map((d, i) => (i === index ? draft : d)),
    }));

  return (
    <form onSubmit={save} aria-label={i18n.t('catTitle')} noValidate>
      <div className="row wrap spread">
        <div className="field">
          <label htmlFor={`${id}-f`}>{i18n.t('catFilter')}</label>
          <input id={`${id}-f`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        <div className="row">
          {changed > 0 && (
            <span className="muted">
              {changed} {i18n.t('catChanged')}
            </span>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {i18n.t('catSave')}
          </button>
        </div>
      </div>
      <Notice text={notice} />
      <Problems error={error} />
      <Table
        caption={i18n.t('catTitle')}
        heads={[
          i18n.t('catCategory'),
          i18n.t('catDepartment'),
          i18n.t('catLevel'),
          i18n.t('catLimit'),
          i18n.t('catAreas'),
        ]}
        actionsHead={i18n.t('actions')}
        style={{ minWidth: '56rem' }}
      >
        {shown.flatMap((category) =>
          (drafts[category.code] ?? [newEntryDraft()]).map((draft, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a category's entries keep their order while edited
            <tr key={`${category.code}:${index}`} data-category={category.code}>
              <th scope="row">
                {category.code} {categoryLabel(category, i18n.lang)}
                {isOverridden(view, category.code) && index === 0 && (
                  <span className="badge">{i18n.t('catOverridden')}</span>
                )}
              </th>
              <EntryCells
                code={category.code}
                index={index}
                draft={draft}
                invalid={invalid[category.code]?.includes(index) ?? false}
                departments={props.departments}
                set={(next) => setDraft(category.code, index, next)}
              />
              <td>
                {isOverridden(view, category.code) && index === 0 && (
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={`${i18n.t('catRevert')} ${category.code}`}
                    onClick={() => void put(revertBody(view, category.code))}
                  >
                    {i18n.t('catRevert')}
                  </button>
                )}
              </td>
            </tr>
          )),
        )}
      </Table>
    </form>
  );
}

/** The city's duty catalog (职责清单): who handles each category, at what level, how fast. */
export function DutyCatalogAdmin() {
  const { api } = useApp();
  const i18n = useT();
  const [data, reload] = useLoad(
    () => Promise.all([api.get<CatalogView>('/v1/catalog'), readDepartments(api)]),
    'admin-catalog',
  );
  const [notice, setNotice] = useState<string>();
  const filter = useState('');
  return (
    <section aria-labelledby="catalog-title">
      <h2 id="catalog-title">{i18n.t('catTitle')}</h2>
      <p className="muted">{i18n.t('catIntro')}</p>
      <Notice text={notice} />
      <Show data={data} retry={reload}>
        {([view, departments]) => {
          const problems = [...view.problems].sort((a, b) => a.severity.localeCompare(b.severity));
          return (
            <>
              <p className="muted small">
                {i18n.t('catVersion')}: {view.catalog.version}
              </p>
              <TryRouting categories={view.catalog.categories} departments={departments} />
              {problems.length > 0 && (
                <details className="card">
                  <summary>
                    {i18n.t('catProblems')} ({problems.length})
                  </summary>
                  <ul>
                    {problems.map((p) => (
                      <li
                        key={`${p.code}:${p.categoryCode ?? ''}:${p.path?.join('.') ?? ''}`}
                        className={p.severity === 'error' ? 'error' : 'muted'}
                      >
                        {p.categoryCode && `${p.categoryCode} · `}
                        {p.message}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              <CatalogEditor
                key={view.version}
                view={view}
                departments={departments}
                filter={filter}
                onDone={(text) => {
                  setNotice(text);
                  reload();
                }}
              />
            </>
          );
        }}
      </Show>
    </section>
  );
}
