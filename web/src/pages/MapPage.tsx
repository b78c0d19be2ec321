import { roleHas } from '@civicgrid/domain';
import { useMemo, useState } from 'react';
import type { CaseRow, CaseView } from '../actions';
import { HierarchyTree } from '../components/HierarchyTree';
import { LazyMap as MapView } from '../components/LazyMap';
import type { MapPoint } from '../components/MapView';
import { Show } from '../components/Status';
import { unitsOf } from '../data';
import { analyticsPath, type Dashboard, figuresAccess, formatRate } from '../figures';
import { buildTree, type UnitProps } from '../hierarchy';
import { useApp, useLoad } from '../hooks';
import { type MessageKey, useT } from '../i18n';
import { navigate } from '../router';
import type { WhistleView } from '../whistles';
import { CaseList } from './Cases';

interface Member {
  name: string;
  phone?: string;
}
interface UnitDetail extends UnitProps {
  roster?: {
    liaison?: Member;
    gridHead?: Member;
    fullTime?: Member[];
    partTime?: Member[];
    volunteers?: Member[];
  };
  supervisors?: string[];
  staffing?: { model: string; complete: boolean; missing: string[] };
}

const rosterLabels: Record<string, MessageKey> = {
  liaison: 'rosterLiaison',
  gridHead: 'rosterGridHead',
  fullTime: 'rosterFullTime',
  partTime: 'rosterPartTime',
  volunteers: 'rosterVolunteer',
};

const openStatuses = new Set([
  'reported',
  'verifying',
  'registered',
  'dispatched',
  'accepted',
  'handled',
  'checking',
  'rework',
  'suspended',
]);
const day = (date: Date) => date.toISOString().slice(0, 10);

function UnitPanel({ code }: { code: string }) {
  const { api, session } = useApp();
  const i18n = useT();
  const [unit] = useLoad(() => api.get<UnitDetail>(`/v1/org/units/${code}`), `unit-${code}`);
  const [cases] = useLoad(
    (): Promise<CaseRow[]> =>
      // A department searches no place: its open cases here are those dispatched to it.
      session.user.scope.kind === 'department'
        ? api
            .get<{ items: CaseView[] }>('/v1/cases/inbox')
            .then((r) => r.items.filter((c) => c.location.gridCode?.startsWith(code) ?? false))
        : api
            .get<{ items: CaseRow[] }>(
              `/v1/cases/search?from=${day(new Date(Date.now() - 90 * 86_400_000))}&to=${day(new Date(Date.now() + 86_400_000))}&orgCode=${code}&limit=100`,
            )
            .then((r) => r.items.filter((c) => openStatuses.has(c.status))),
    `cases-${code}`,
  );
  return (
    <aside className="card panel" aria-labelledby="unit-title" data-testid="unit-panel">
      <Show data={unit}>
        {(u) => {
          const roster = u.roster;
          const members: [string, Member][] = roster
            ? [
                ...(roster.liaison ? [[i18n.t('rosterLiaison'), roster.liaison] as [string, Member]] : []),
                ...(roster.gridHead ? [[i18n.t('rosterGridHead'), roster.gridHead] as [string, Member]] : []),
                ...(roster.fullTime ?? []).map((m) => [i18n.t('rosterFullTime'), m] as [string, Member]),
                ...(roster.partTime ?? []).map((m) => [i18n.t('rosterPartTime'), m] as [string, Member]),
                ...(roster.volunteers ?? []).map((m) => [i18n.t('rosterVolunteer'), m] as [string, Member]),
              ]
            : [];
          return (
            <>
              <h2 id="unit-title">
                {u.name} <span className="muted small">{u.code}</span>
              </h2>
              <h3>{i18n.t('staff')}</h3>
              {u.staffing && (
                <p className="small">
                  {u.staffing.model}
                  {u.staffing.complete
                    ? ' ✓'
                    : ` · ${i18n.t('staffMissing')}: ${u.staffing.missing.map((m) => i18n.t(rosterLabels[m] ?? 'staff')).join('、')}`}
                </p>
              )}
              {members.length === 0 ? (
                <p className="muted">{i18n.t('noStaff')}</p>
              ) : (
                <ul>
                  {members.map(([role, m], index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the roster is shown in its stored order
                    <li key={`${role}-${index}`}>
                      {role}: {m.name} {m.phone ?? ''}
                    </li>
                  ))}
                </ul>
              )}
              {u.supervisors && u.supervisors.length > 0 && (
                <p>
                  {i18n.t('supervisors')}: {u.supervisors.join('、')}
                </p>
              )}
            </>
          );
        }}
      </Show>
      <h3>{i18n.t('openCases')}</h3>
      <Show data={cases}>{(items) => <CaseList items={items} />}</Show>
      {figuresAccess(session.user).places && <UnitFigures code={code} />}
    </aside>
  );
}

/** The unit's figures this month (the city's month), as the figures page counts them. */
function UnitFigures({ code }: { code: string }) {
  const { api } = useApp();
  const i18n = useT();
  const [dashboard] = useLoad(
    () => api.get<Dashboard>(analyticsPath('places', { orgCode: code })),
    `unit-figures-${code}`,
  );
  return (
    <>
      <h3>{i18n.t('unitFigures')}</h3>
      <Show data={dashboard}>
        {({ period, place }) => (
          <dl
            className="figures-list"
            data-testid="unit-figures"
            aria-label={`${i18n.t('unitFigures')} ${period}`}
          >
            {(
              [
                ['colReported', place.reported],
                ['colRegistered', place.registered],
                ['colClosed', place.closed],
                ['colSelfClosure', formatRate(place.selfClosureRate)],
                ['colEscalation', formatRate(place.escalationRate)],
                ['satisfactionRate', formatRate(place.satisfactionRate)],
                ['colWhistles', place.whistlesBlown],
              ] as [MessageKey, string | number][]
            ).map(([label, value]) => (
              <div key={label}>
                <dt>{i18n.t(label)}</dt>
                <dd className="figure-value">{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </Show>
    </>
  );
}

export function MapPage() {
  const { api, session } = useApp();
  const i18n = useT();
  const [units, reload] = useLoad(() => unitsOf(api, session), 'units');
  // What waits for the viewer, on the map: its inbox cases and, for the street side, its whistles.
  const [points] = useLoad(async (): Promise<MapPoint[]> => {
    const [cases, whistles] = await Promise.all([
      api.get<{ items: CaseView[] }>('/v1/cases/inbox'),
      roleHas(session.user.role, 'whistles.read')
        ? api.get<{ items: WhistleView[] }>('/v1/whistles')
        : Promise.resolve({ items: [] }),
    ]);
    return [
      ...cases.items.flatMap((c) =>
        c.location.point ? [{ id: c.id, kind: 'case' as const, point: c.location.point }] : [],
      ),
      ...whistles.items
        .filter((w) => !['archived', 'rejected'].includes(w.status))
        .map((w) => ({ id: w.id, kind: 'whistle' as const, point: w.location.point })),
    ];
  }, 'map-points');
  const [selected, setSelected] = useState<string>();
  const tree = useMemo(
    () => (units.state === 'ready' && units.value ? buildTree(units.value) : undefined),
    [units],
  );

  return (
    <section aria-labelledby="map-title">
      <h1 id="map-title">{i18n.t('mapTitle')}</h1>
      <Show data={units} retry={reload} isEmpty={(v) => !v || v.features.length === 0}>
        {(collection) => (
          <div className="map-layout">
            <nav className="card tree" aria-label={i18n.t('hierarchy')}>
              <h2>{i18n.t('hierarchy')}</h2>
              {tree && <HierarchyTree tree={tree} selected={selected} onSelect={setSelected} />}
            </nav>
            <div className="map-main">
              <MapView
                units={collection}
                highlight={selected}
                onGridClick={setSelected}
                points={points.state === 'ready' ? points.value : undefined}
                onPointClick={(p) => navigate(p.kind === 'case' ? `/cases/${p.id}` : `/whistles/${p.id}`)}
                label={i18n.t('mapTitle')}
              />
              <p className="muted small">
                {i18n.t('clickGrid')} · <span className="dot case" /> {i18n.t('navCases')}{' '}
                <span className="dot whistle" /> {i18n.t('navWhistles')}
              </p>
            </div>
            {selected && <UnitPanel code={selected} />}
          </div>
        )}
      </Show>
    </section>
  );
}
