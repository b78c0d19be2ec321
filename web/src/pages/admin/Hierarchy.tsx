import { codeProblem, parentCodeOf } from '@civicgrid/domain';
import type { Feature, FeatureCollection } from 'geojson';
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { HierarchyTree, levelKeys } from '../../components/HierarchyTree';
import { LazyMap as MapView } from '../../components/LazyMap';
import { Show } from '../../components/Status';
import { forgetUnits } from '../../data';
import { errorText } from '../../errors';
import {
  type Bounds,
  boundsOfFeatures,
  buildTree,
  childCodeProblem,
  childLevelOf,
  fill,
  focusOfProblem,
  type ImportCheck,
  type ImportProblem,
  pagesOf,
  problemsOfError,
  readGeoJson,
  reportFeatures,
  suggestChildCode,
  type UnitProps,
  type UnitTree,
} from '../../hierarchy';
import { type Loadable, useApp, useLoad } from '../../hooks';
import { type MessageKey, useT } from '../../i18n';
import { RosterEditor, type RosterUnit } from './RosterEditor';

type GridKind = 'basic' | 'exclusive';

interface UnitDetail extends UnitProps, RosterUnit {
  gridKind?: GridKind;
  areaM2?: number;
  status: 'active' | 'retired';
  version: number;
}

const problemKeys: Record<string, MessageKey> = {
  overlaps_sibling: 'problemOverlaps',
  coverage_gap: 'problemGap',
  outside_parent: 'problemOutside',
  self_intersection: 'problemSelfIntersection',
  ring_not_closed: 'problemRingNotClosed',
  too_few_points: 'problemTooFewPoints',
  coordinates_out_of_range: 'problemOutOfRange',
  invalid_geometry: 'problemInvalidGeometry',
  invalid_feature: 'problemInvalidFeature',
  invalid_code: 'problemInvalidCode',
  duplicate_code: 'problemDuplicate',
  parent_not_found: 'problemParentMissing',
};

/** What an org error means for the admin; the API's own message and code follow it. */
const orgErrorKeys: Record<string, MessageKey> = {
  has_children: 'errHasChildren',
  unit_in_use: 'errUnitInUse',
  version_conflict: 'errUnitConflict',
  transaction_conflict: 'errUnitConflict',
  already_exists: 'errCodeTaken',
  parent_not_found: 'errParentMissing',
  invalid_boundary: 'errBoundary',
  forbidden: 'errForbidden',
  not_found: 'errNotFound',
  network: 'errNetwork',
};

/** The last loaded value, kept on screen while it reloads (the map and the forms stay put). */
const useLatest = <T,>(data: Loadable<T>): T | undefined => {
  const [latest, setLatest] = useState<T>();
  useEffect(() => {
    if (data.state === 'ready') setLatest(data.value);
  }, [data]);
  return data.state === 'ready' ? data.value : latest;
};

/** After a successful edit: the unit to select and what to tell the admin. */
type OnChanged = (select: string | undefined, notice: string) => void;

const isConflict = (error: unknown) =>
  error instanceof ApiError && (error.code === 'version_conflict' || error.code === 'transaction_conflict');

function OrgError({ error }: { error: unknown }) {
  const i18n = useT();
  if (!error) return null;
  const key =
    error instanceof ApiError
      ? (orgErrorKeys[String(error.details?.code ?? '')] ?? orgErrorKeys[error.code])
      : undefined;
  return (
    <p className="error" role="alert">
      {key ? `${i18n.t(key)} — ` : ''}
      {/* In Chinese the org's words suffice; the general text only adds the code. */}
      {key && i18n.lang === 'zh' && error instanceof ApiError
        ? `(${String(error.details?.code ?? error.code)})`
        : errorText(error, i18n)}
    </p>
  );
}

/** Whether a grid is a basic grid or an exclusive one (专属网格). */
function GridKindField(props: { id: string; value: GridKind; onChange: (kind: GridKind) => void }) {
  const i18n = useT();
  return (
    <div className="field">
      <label htmlFor={props.id}>{i18n.t('gridKind')}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value as GridKind)}>
        <option value="basic">{i18n.t('gridKindBasic')}</option>
        <option value="exclusive">{i18n.t('gridKindExclusive')}</option>
      </select>
    </div>
  );
}

/** One form of the editor: its own error and busy state; `run` answers the status text to show. */
function useAction() {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<string | undefined>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await action());
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return { error, done, busy, run, setError };
}

function Done({ text }: { text: string | undefined }) {
  return text ? (
    <p role="status" className="ok">
      {text}
    </p>
  ) : null;
}

function AddChild(props: { parent: UnitProps | undefined; siblings: string[]; onAdded: OnChanged }) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const parentCode = props.parent?.code;
  const level = childLevelOf(parentCode);
  const [code, setCode] = useState(() => suggestChildCode(parentCode, props.siblings));
  const [name, setName] = useState('');
  const [gridKind, setGridKind] = useState<GridKind>('basic');
  const action = useAction();
  if (!level) return <p className="muted small">{i18n.t('gridHasNoChildren')}</p>;
  const title = parentCode
    ? fill(i18n.t('addChildOf'), { level: i18n.t(levelKeys[level]) })
    : i18n.t('addDistrict');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.trim();
    const problem = parentCode ? childCodeProblem(trimmed, parentCode) : undefined;
    if (problem || !name.trim()) {
      action.setError(
        new Error(
          `${i18n.t('errCodeInvalid')}: ${problem ?? `${i18n.t('childName')} ${i18n.t('required')}`}`,
        ),
      );
      return;
    }
    void action.run(async () => {
      await api.post('/v1/org/units', {
        code: trimmed,
        name: name.trim(),
        ...(level === 'grid' ? { gridKind } : {}),
      });
      props.onAdded(trimmed, fill(i18n.t('createdUnit'), { name: name.trim() }));
      return undefined;
    });
  };

  return (
    <form onSubmit={submit} aria-label={title} noValidate>
      <h3>{title}</h3>
      <div className="field">
        <label htmlFor={`${id}-code`}>{i18n.t('childCode')}</label>
        <input
          id={`${id}-code`}
          value={code}
          inputMode="numeric"
          aria-describedby={`${id}-hint`}
          onChange={(e) => setCode(e.target.value)}
        />
        <span id={`${id}-hint`} className="muted small">
          {i18n.t('childCodeHint')}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{i18n.t('childName')}</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
      </div>
      {level === 'grid' && <GridKindField id={`${id}-kind`} value={gridKind} onChange={setGridKind} />}
      <OrgError error={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        {i18n.t('addChild')}
      </button>
    </form>
  );
}

/** A destructive step asks once more, in place, before it is sent. */
function Confirm(props: { text: string; onConfirm: () => void; onCancel: () => void; action: string }) {
  const { t } = useT();
  const id = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  // The button that asked is gone: keyboard focus goes to the safe answer.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div role="alertdialog" aria-label={props.action} aria-describedby={`${id}-text`} className="confirm">
      <p id={`${id}-text`}>{props.text}</p>
      <button type="button" className="danger" onClick={props.onConfirm}>
        {props.action}
      </button>{' '}
      <button type="button" ref={cancel} onClick={props.onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}

/** Draws a report on the map and flies to it, or clears it. */
interface MapReport {
  onReport: (overlay: FeatureCollection | undefined) => void;
  onFocus: (bounds: Bounds | undefined) => void;
}

interface CoverageAnswer {
  coverage: { parentAreaM2?: number; childrenAreaM2?: number; gapAreaM2?: number };
  problems: ImportProblem[];
}

/** How a unit's children cover it (明确边界、相互衔接、全域覆盖): gaps, overlaps and parts outside, on the map. */
function Coverage(props: { code: string; tree: UnitTree } & MapReport) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const [answer, setAnswer] = useState<CoverageAnswer>();
  const [report, setReport] = useState<FeatureCollection>();
  const action = useAction();
  const check = () =>
    void action.run(async () => {
      const found = await api.get<CoverageAnswer>(`/v1/org/coverage?parentCode=${props.code}`);
      const drawn = reportFeatures(found.problems, [], props.tree.byCode);
      setAnswer(found);
      setReport(drawn);
      props.onReport(drawn);
      const bounds = boundsOfFeatures(drawn.features);
      if (bounds) props.onFocus(bounds);
      return undefined;
    });
  const round = (n: number | undefined) => Math.round(n ?? 0).toLocaleString();
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{i18n.t('coverageCheck')}</h3>
      <p className="muted small">{i18n.t('coverageHint')}</p>
      <button type="button" disabled={action.busy} onClick={check}>
        {i18n.t('coverageCheck')}
      </button>
      <OrgError error={action.error} />
      {answer && (
        <>
          <p className="small" data-testid="coverage-summary">
            {fill(i18n.t('coverageSummary'), {
              children: round(answer.coverage.childrenAreaM2),
              parent: round(answer.coverage.parentAreaM2),
              gaps: round(answer.coverage.gapAreaM2),
            })}
          </p>
          {answer.problems.length === 0 ? (
            <p className="ok">{i18n.t('coverageClean')}</p>
          ) : (
            <ProblemList
              label={i18n.t('coverageCheck')}
              problems={answer.problems}
              report={report}
              onFocus={props.onFocus}
            />
          )}
        </>
      )}
    </section>
  );
}

function UnitEditor(
  props: { code: string; round: number; tree: UnitTree; onChanged: OnChanged } & MapReport,
) {
  const { api } = useApp();
  const id = useId();
  const [unit, reload] = useLoad(
    () => api.get<UnitDetail>(`/v1/org/units/${props.code}`),
    `org-unit-${props.code}-${props.round}`,
  );
  const latest = useLatest(unit);
  const siblings = (props.tree.byParent.get(props.code) ?? []).map((u) => u.code);
  return (
    <aside className="card panel" aria-labelledby={`${id}-title`} data-testid="unit-editor">
      {latest ? (
        <UnitForms
          unit={latest}
          titleId={`${id}-title`}
          siblings={siblings}
          reload={reload}
          onChanged={props.onChanged}
        />
      ) : (
        <Show data={unit} retry={reload}>
          {() => null}
        </Show>
      )}
      {latest && latest.level !== 'grid' && (
        <Coverage code={latest.code} tree={props.tree} onReport={props.onReport} onFocus={props.onFocus} />
      )}
    </aside>
  );
}

function UnitForms(props: {
  unit: UnitDetail;
  titleId: string;
  siblings: string[];
  reload: () => void;
  onChanged: OnChanged;
}) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const { unit } = props;
  const [name, setName] = useState(unit.name);
  const [gridKind, setGridKind] = useState(unit.gridKind ?? 'basic');
  const [newCode, setNewCode] = useState('');
  const [confirming, setConfirming] = useState<'move' | 'retire'>();
  const edit = useAction();
  const move = useAction();
  const retire = useAction();
  const staff = useAction();
  // A 409 means someone else wrote first: show theirs, and let the admin try again.
  const afterConflict = (error: unknown) => {
    if (isConflict(error)) props.reload();
  };

  const rename = (event: FormEvent) => {
    event.preventDefault();
    void edit.run(async () => {
      try {
        await api.patch(`/v1/org/units/${unit.code}`, {
          version: unit.version,
          ...(name.trim() !== unit.name ? { name: name.trim() } : {}),
          ...(unit.level === 'grid' && gridKind !== unit.gridKind ? { gridKind } : {}),
        });
      } catch (cause) {
        afterConflict(cause);
        throw cause;
      }
      props.onChanged(unit.code, i18n.t('savedUnit'));
      return undefined;
    });
  };

  const saveRoster = (body: object) =>
    staff.run(async () => {
      try {
        await api.patch(`/v1/org/units/${unit.code}`, body);
      } catch (cause) {
        afterConflict(cause);
        throw cause;
      }
      props.onChanged(unit.code, i18n.t('rosterSaved'));
      return i18n.t('rosterSaved');
    });

  const doMove = () =>
    void move.run(async () => {
      setConfirming(undefined);
      const target = newCode.trim();
      try {
        await api.post(`/v1/org/units/${unit.code}/move`, { version: unit.version, newCode: target });
      } catch (cause) {
        afterConflict(cause);
        throw cause;
      }
      props.onChanged(target, fill(i18n.t('movedUnit'), { code: target }));
      return undefined;
    });

  const doRetire = () =>
    void retire.run(async () => {
      setConfirming(undefined);
      try {
        await api.delete(`/v1/org/units/${unit.code}?version=${unit.version}`);
      } catch (cause) {
        afterConflict(cause);
        throw cause;
      }
      props.onChanged(unit.parentCode, fill(i18n.t('retiredUnit'), { name: unit.name }));
      return undefined;
    });

  return (
    <>
      <h2 id={props.titleId}>
        {unit.name} <span className="muted small">{unit.code}</span>
      </h2>
      <p className="small">
        {i18n.t(levelKeys[unit.level])}
        {unit.gridKind
          ? ` · ${i18n.t(unit.gridKind === 'exclusive' ? 'gridKindExclusive' : 'gridKindBasic')}`
          : ''}
        {unit.areaM2 ? ` · ${Math.round(unit.areaM2).toLocaleString()} m²` : ` · ${i18n.t('noBoundary')}`} ·{' '}
        {i18n.t('unitVersion')} {unit.version}
      </p>

      <form onSubmit={rename} aria-label={i18n.t('renameUnit')} noValidate>
        <h3>{i18n.t('renameUnit')}</h3>
        <div className="field">
          <label htmlFor={`${id}-name`}>{i18n.t('name')}</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
        </div>
        {unit.level === 'grid' && <GridKindField id={`${id}-kind`} value={gridKind} onChange={setGridKind} />}
        <OrgError error={edit.error} />
        <button
          type="submit"
          className="primary"
          disabled={
            edit.busy ||
            !name.trim() ||
            (name.trim() === unit.name && gridKind === (unit.gridKind ?? 'basic'))
          }
        >
          {i18n.t('save')}
        </button>
      </form>

      {unit.level === 'grid' && (
        <RosterEditor
          unit={unit}
          onSave={saveRoster}
          busy={staff.busy}
          error={
            <>
              <OrgError error={staff.error} />
              <Done text={staff.done} />
            </>
          }
        />
      )}

      <AddChild key={unit.version} parent={unit} siblings={props.siblings} onAdded={props.onChanged} />

      <form
        onSubmit={(e) => {
          e.preventDefault();
          const target = newCode.trim();
          // The same rules as the API's, before anything is sent.
          const problem = target ? codeProblem(target, unit.level, parentCodeOf(target)) : undefined;
          move.setError(problem ? new Error(`${i18n.t('errCodeInvalid')}: ${problem}`) : undefined);
          if (target && !problem) setConfirming('move');
        }}
        aria-label={i18n.t('moveUnit')}
        noValidate
      >
        <h3>{i18n.t('moveUnit')}</h3>
        <p className="muted small">{i18n.t('moveHint')}</p>
        <div className="field">
          <label htmlFor={`${id}-move`}>{i18n.t('newCode')}</label>
          <input
            id={`${id}-move`}
            value={newCode}
            inputMode="numeric"
            onChange={(e) => setNewCode(e.target.value)}
          />
        </div>
        {confirming === 'move' ? (
          <Confirm
            text={fill(i18n.t('confirmMove'), { name: unit.name, code: unit.code, newCode: newCode.trim() })}
            action={i18n.t('moveUnit')}
            onConfirm={doMove}
            onCancel={() => setConfirming(undefined)}
          />
        ) : (
          <button type="submit" disabled={move.busy || !newCode.trim()}>
            {i18n.t('moveUnit')}
          </button>
        )}
        <OrgError error={move.error} />
      </form>

      <div>
        <h3>{i18n.t('retireUnit')}</h3>
        <p className="muted small">{i18n.t('retireHint')}</p>
        {confirming === 'retire' ? (
          <Confirm
            text={fill(i18n.t('confirmRetire'), { name: unit.name, code: unit.code })}
            action={i18n.t('retireUnit')}
            onConfirm={doRetire}
            onCancel={() => setConfirming(undefined)}
          />
        ) : (
          <button
            type="button"
            className="danger"
            disabled={retire.busy}
            onClick={() => setConfirming('retire')}
          >
            {i18n.t('retireUnit')}
          </button>
        )}
        <OrgError error={retire.error} />
      </div>
    </>
  );
}

interface Staged {
  id: string;
  features: Feature[];
  check: ImportCheck;
}

function ProblemLine(props: { problem: ImportProblem; index: number; onShow: () => void; canShow: boolean }) {
  const i18n = useT();
  const { problem } = props;
  const where = [
    problem.featureCode,
    problem.otherCode ? `↔ ${problem.otherCode}` : undefined,
    problem.featureIndex !== undefined
      ? fill(i18n.t('importFeature'), { index: problem.featureIndex + 1 })
      : undefined,
    problem.areaM2 !== undefined
      ? fill(i18n.t('problemArea'), { area: Math.round(problem.areaM2) })
      : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className={`problem ${problem.severity}`} data-problem={problem.code}>
      <strong>
        {props.index + 1}. {i18n.t(problem.severity === 'error' ? 'problemError' : 'problemWarning')} ·{' '}
        {problemKeys[problem.code] ? i18n.t(problemKeys[problem.code] as MessageKey) : problem.code}
      </strong>{' '}
      <span className="small">{where}</span>
      <br />
      <span className="small muted">{problem.message}</span>{' '}
      {props.canShow && (
        <button type="button" className="link" onClick={props.onShow}>
          {i18n.t('problemShowOnMap')}
        </button>
      )}
    </li>
  );
}

/** A report's problems in the API's order, each with a button that flies the map to it when it can be drawn. */
function ProblemList(props: {
  label: string;
  problems: ImportProblem[];
  report: FeatureCollection | undefined;
  onFocus: MapReport['onFocus'];
}) {
  const { report } = props;
  return (
    <ol className="problems" aria-label={props.label}>
      {props.problems.map((problem, index) => {
        const focus = report ? focusOfProblem(report, index) : undefined;
        return (
          <ProblemLine
            // biome-ignore lint/suspicious/noArrayIndexKey: the report keeps the API's order
            key={index}
            problem={problem}
            index={index}
            canShow={focus !== undefined}
            onShow={() => props.onFocus(focus)}
          />
        );
      })}
    </ol>
  );
}

function ImportPanel(props: {
  existing: Map<string, Feature>;
  onReport: (overlay: FeatureCollection | undefined) => void;
  onFocus: (bounds: Bounds | undefined) => void;
  onCommitted: (notice: string) => void;
}) {
  const { api } = useApp();
  const i18n = useT();
  const id = useId();
  const [file, setFile] = useState<{ features: Feature[]; pages: Feature[][] }>();
  const [fileError, setFileError] = useState<string>();
  const [progress, setProgress] = useState<string>();
  const [staged, setStaged] = useState<Staged>();
  const [report, setReport] = useState<FeatureCollection>();
  const action = useAction();

  const show = (problems: ImportProblem[] | undefined, features: Feature[]) => {
    const drawn = problems ? reportFeatures(problems, features, props.existing) : undefined;
    setReport(drawn);
    props.onReport(drawn);
    props.onFocus(drawn ? boundsOfFeatures(drawn.features) : undefined);
  };

  const discardQuietly = (open: Staged | undefined) => {
    if (open) void api.delete(`/v1/org/imports/${open.id}`).catch(() => undefined);
  };

  const choose = async (chosen: File | undefined) => {
    setFile(undefined);
    setFileError(undefined);
    discardQuietly(staged);
    setStaged(undefined);
    show(undefined, []);
    if (!chosen) return;
    const read = readGeoJson(await chosen.text());
    if ('error' in read) {
      setFileError(i18n.t(read.error === 'not_json' ? 'importNotJson' : 'importNotFeatures'));
      return;
    }
    setFile({ features: read.features, pages: pagesOf(read.features) });
  };

  const upload = () =>
    void action.run(async () => {
      if (!file) return undefined;
      discardQuietly(staged);
      setStaged(undefined);
      const opened = await api.post<{ id: string }>('/v1/org/imports', {});
      for (const [n, page] of file.pages.entries()) {
        setProgress(fill(i18n.t('importUploading'), { page: n + 1, pages: file.pages.length }));
        await api.post(`/v1/org/imports/${opened.id}/pages`, { type: 'FeatureCollection', features: page });
      }
      setProgress(i18n.t('importChecking'));
      const check = await api
        .post<ImportCheck>(`/v1/org/imports/${opened.id}/check`, {})
        .finally(() => setProgress(undefined));
      setStaged({ id: opened.id, features: file.features, check });
      show(check.problems, file.features);
      return undefined;
    });

  const commit = () =>
    void action.run(async () => {
      if (!staged) return undefined;
      try {
        const result = await api.post<{ created: number; updated: number; unchanged: number }>(
          `/v1/org/imports/${staged.id}/commit`,
          {},
        );
        setStaged(undefined);
        setFile(undefined);
        show(undefined, []);
        const text = fill(i18n.t('importCommitted'), result);
        props.onCommitted(text);
        return text;
      } catch (cause) {
        // Someone changed the city since the check: the commit's own report replaces it.
        const problems = problemsOfError(cause);
        if (problems) {
          setStaged({ ...staged, check: { ...staged.check, ok: false, problems } });
          show(problems, staged.features);
        }
        throw cause;
      }
    });

  const discard = () =>
    void action.run(async () => {
      if (!staged) return undefined;
      await api.delete(`/v1/org/imports/${staged.id}`);
      setStaged(undefined);
      show(undefined, []);
      return i18n.t('importDiscarded');
    });

  const problems = staged?.check.problems ?? [];
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  let summary: ReactNode = null;
  if (staged) {
    summary = (
      <>
        <p>
          {fill(i18n.t('importSummary'), {
            created: staged.check.created,
            updated: staged.check.updated,
            unchanged: staged.check.unchanged,
          })}
        </p>
        <p className={errors > 0 ? 'error' : 'ok'} data-testid="import-verdict">
          {errors > 0
            ? fill(i18n.t('importErrors'), { errors, warnings })
            : warnings > 0
              ? fill(i18n.t('importWarningsOnly'), { warnings })
              : i18n.t('importClean')}
        </p>
      </>
    );
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{i18n.t('importTitle')}</h2>
      <p className="muted small">{i18n.t('importHint')}</p>
      <div className="field">
        <label htmlFor={`${id}-file`}>{i18n.t('importFile')}</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".geojson,.json,application/geo+json,application/json"
          onChange={(e) => void choose(e.target.files?.[0])}
        />
      </div>
      {fileError && (
        <p className="error" role="alert">
          {fileError}
        </p>
      )}
      {file && (
        <p className="small">
          {fill(i18n.t('importRead'), { features: file.features.length, pages: file.pages.length })}
        </p>
      )}
      <button type="button" className="primary" disabled={!file || action.busy} onClick={upload}>
        {i18n.t('importUpload')}
      </button>
      {progress && (
        <p className="muted" aria-live="polite" aria-busy="true">
          {progress}
        </p>
      )}
      <OrgError error={action.error} />
      <Done text={action.done} />
      {staged && (
        <section aria-labelledby={`${id}-report`}>
          <h3 id={`${id}-report`}>{i18n.t('importReport')}</h3>
          {summary}
          {problems.length > 0 && (
            <>
              <p className="muted small">{i18n.t('mapLegendReport')}</p>
              <ProblemList
                label={i18n.t('importReport')}
                problems={problems}
                report={report}
                onFocus={props.onFocus}
              />
            </>
          )}
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={!staged.check.ok || action.busy}
              onClick={commit}
            >
              {i18n.t('importCommit')}
            </button>{' '}
            <button type="button" disabled={action.busy} onClick={discard}>
              {i18n.t('importDiscard')}
            </button>
          </div>
        </section>
      )}
    </section>
  );
}

/** The city admin's hierarchy: the tree beside the map, unit editing and the GeoJSON import. */
export function HierarchyAdmin() {
  const { api, session } = useApp();
  const i18n = useT();
  const [units, reload] = useLoad(() => api.get<FeatureCollection>('/v1/org/export'), 'org-hierarchy');
  const collection = useLatest(units);
  const [selected, setSelected] = useState<string>();
  const [round, setRound] = useState(0);
  const [notice, setNotice] = useState<string>();
  const [focus, setFocus] = useState<Bounds>();
  const [importOverlay, setImportOverlay] = useState<FeatureCollection>();
  // A coverage report belongs to the selected unit and goes with it.
  const [coverageOverlay, setCoverageOverlay] = useState<FeatureCollection>();
  const overlay = useMemo(
    (): FeatureCollection | undefined =>
      importOverlay || coverageOverlay
        ? {
            type: 'FeatureCollection',
            features: [...(importOverlay?.features ?? []), ...(coverageOverlay?.features ?? [])],
          }
        : undefined,
    [importOverlay, coverageOverlay],
  );
  const tree = useMemo(() => (collection ? buildTree(collection) : undefined), [collection]);

  const select = (code: string | undefined) => {
    setSelected(code);
    setNotice(undefined);
    setCoverageOverlay(undefined);
    const feature = code ? tree?.byCode.get(code) : undefined;
    const bounds = feature ? boundsOfFeatures([feature]) : undefined;
    if (bounds) setFocus(bounds);
  };
  const changed: OnChanged = (code, text) => {
    forgetUnits(session);
    setSelected(code);
    setCoverageOverlay(undefined);
    setNotice(text);
    setRound((n) => n + 1);
    reload();
  };

  if (!collection || !tree) {
    return (
      <Show data={units} retry={reload}>
        {() => null}
      </Show>
    );
  }
  return (
    <>
      {units.state === 'error' && <OrgError error={units.error} />}
      {notice && (
        <p role="status" className="ok" data-testid="hierarchy-notice">
          {notice}
        </p>
      )}
      <div className="map-layout">
        <nav className="card tree" aria-label={i18n.t('hierarchyTree')}>
          <h2>{i18n.t('hierarchyTree')}</h2>
          {tree.roots.length > 0 ? (
            <HierarchyTree tree={tree} selected={selected} onSelect={select} />
          ) : (
            <p className="muted">{i18n.t('empty')}</p>
          )}
        </nav>
        <div className="map-main">
          <MapView
            units={collection}
            highlight={selected}
            onGridClick={select}
            overlay={overlay}
            focus={focus}
            label={i18n.t('hierarchyMap')}
          />
        </div>
        {selected ? (
          <UnitEditor
            key={selected}
            code={selected}
            round={round}
            tree={tree}
            onChanged={changed}
            onReport={setCoverageOverlay}
            onFocus={(bounds) => bounds && setFocus(bounds)}
          />
        ) : (
          <aside className="card panel" data-testid="unit-editor">
            <p className="muted">{i18n.t('selectUnitHint')}</p>
            <AddChild
              key={round}
              parent={undefined}
              siblings={tree.roots.map((u) => u.code)}
              onAdded={changed}
            />
          </aside>
        )}
      </div>
      <ImportPanel
        existing={tree.byCode}
        onReport={(drawn) => {
          setImportOverlay(drawn);
          setNotice(undefined);
        }}
        onFocus={(bounds) => bounds && setFocus(bounds)}
        onCommitted={(text) => changed(selected, text)}
      />
    </>
  );
}
