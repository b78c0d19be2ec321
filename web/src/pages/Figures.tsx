import type { FeatureCollection } from 'geojson';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { LazyBarChart } from '../components/LazyChart';
import { LazyMap } from '../components/LazyMap';
import { Show } from '../components/Status';
import { Table } from '../components/Table';
import { type Department, departmentName, departmentsOf } from '../data';
import { errorText } from '../errors';
import {
  analyticsPath,
  caseExportPath,
  type Dashboard,
  downloadCsv,
  downloadFile,
  figuresAccess,
  formatNumber,
  formatRate,
  gridChoropleth,
  type HotlineRates,
  type HotSpots,
  type MonthlyProblem,
  monthOf,
  type PlaceFigures,
  placeBars,
  rateBars,
  type Scorecard,
  scoreBars,
} from '../figures';
import { useApp, useLoad } from '../hooks';
import { type MessageKey, useT } from '../i18n';

/** Fetches one of the API's CSV files with the session's token and saves it. */
function CsvButton({ path, name, what }: { path: string; name: string; what: string }) {
  const { session } = useApp();
  const i18n = useT();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <span className="csv">
      <button
        type="button"
        disabled={busy}
        aria-label={`${t('exportCsv')}: ${what}`}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await downloadCsv(path, session.token, `${name}.csv`);
          } catch (cause) {
            setError(cause);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? t('exporting') : t('exportCsv')}
      </button>
      {error !== undefined && (
        <span className="error" role="alert">
          {errorText(error, i18n)}
        </span>
      )}
    </span>
  );
}

/** A section of the page: a heading, its export button and its content. */
function Block(props: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card figures-block" aria-labelledby={props.id}>
      <div className="row spread">
        <h2 id={props.id}>{props.title}</h2>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

/** A place or grid by its name, its code beside it in small type (the code alone when unnamed). */
function PlaceName({ name, code }: { name?: string; code: string }) {
  if (!name || name === code) return <>{code}</>;
  return (
    <>
      {name} <span className="small muted">{code}</span>
    </>
  );
}

const rateHeads: MessageKey[] = ['colCalls', 'responseRate', 'resolutionRate', 'satisfactionRate'];
const rateCells = (rates: HotlineRates) => [
  <td key="received">{rates.received}</td>,
  <td key="response">{formatRate(rates.responseRate)}</td>,
  <td key="resolution">{formatRate(rates.resolutionRate)}</td>,
  <td key="satisfaction">{formatRate(rates.satisfactionRate)}</td>,
];

function Scorecards({ month, round }: { month: string; round: number }) {
  const { api, session } = useApp();
  const i18n = useT();
  const { t } = i18n;
  const [data, reload] = useLoad(async () => {
    const [cards, departments] = await Promise.all([
      api.get<{ period: string; items: Scorecard[] }>(analyticsPath('scorecards', { period: month })),
      departmentsOf(api, session).catch((): Department[] => []),
    ]);
    // The API names each department; the catalog, when readable, gives the English name too.
    const named = new Map(cards.items.flatMap((card) => (card.name ? [[card.departmentId, card.name]] : [])));
    return { items: cards.items, departments, named };
  }, `scorecards:${month}:${round}`);
  const nameOf =
    ({ departments, named }: { departments: Department[]; named: Map<string, string> }) =>
    (id: string) =>
      departments.some((d) => d.id === id)
        ? departmentName(departments, id, i18n.lang)
        : (named.get(id) ?? id);
  return (
    <>
      <Block
        id="scorecards-title"
        title={t('scorecardsTitle')}
        actions={
          <CsvButton
            path={analyticsPath('scorecards', { period: month, format: 'csv' })}
            name={`scorecards-${month}`}
            what={t('scorecardsTitle')}
          />
        }
      >
        <Show data={data} retry={reload} isEmpty={(value) => value.items.length === 0}>
          {(value) => (
            <>
              <LazyBarChart
                label={t('scoreChart')}
                bars={scoreBars(value.items, nameOf(value), t('colScore'))}
                max={100}
              />
              <Table
                caption={t('scorecardsTitle')}
                testId="scorecards"
                heads={[
                  t('colDepartment'),
                  t('colScore'),
                  t('colOnTime'),
                  t('colClosure'),
                  t('colDispatched'),
                  t('colClosed'),
                  t('colOverdue'),
                  t('colCitizenSatisfaction'),
                ]}
              >
                {value.items.map((card) => (
                  <tr key={card.departmentId} data-testid="scorecard-row" data-department={card.departmentId}>
                    <th scope="row">{nameOf(value)(card.departmentId)}</th>
                    <td data-testid="score">{formatNumber(card.score)}</td>
                    <td>{formatRate(card.components.onTime)}</td>
                    <td>{formatRate(card.components.closure)}</td>
                    <td data-testid="received">{card.cases.received}</td>
                    <td data-testid="closed">{card.cases.closed}</td>
                    <td>{card.cases.overdue}</td>
                    <td>{formatRate(card.components.citizenSatisfaction)}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
        </Show>
      </Block>
      <Block
        id="hotline-departments-title"
        title={`${t('hotlineTitle')} · ${t('hotlineByDepartment')}`}
        actions={
          <CsvButton
            path={analyticsPath('hotline', { period: month, by: 'department', format: 'csv' })}
            name={`hotline-departments-${month}`}
            what={`${t('hotlineTitle')} · ${t('hotlineByDepartment')}`}
          />
        }
      >
        <Show data={data} retry={reload} isEmpty={(value) => value.items.length === 0}>
          {(value) => {
            const rows = value.items.map((card) => ({ code: card.departmentId, ...card.hotline }));
            return (
              <>
                <LazyBarChart
                  label={t('hotlineChart')}
                  unit="%"
                  max={100}
                  bars={rateBars(rows, nameOf(value), {
                    response: t('responseRate'),
                    resolution: t('resolutionRate'),
                    satisfaction: t('satisfactionRate'),
                  })}
                />
                <Table caption={t('hotlineTitle')} heads={[t('colDepartment'), ...rateHeads.map(t)]}>
                  {rows.map((row) => (
                    <tr key={row.code}>
                      <th scope="row">{nameOf(value)(row.code)}</th>
                      {rateCells(row)}
                    </tr>
                  ))}
                </Table>
              </>
            );
          }}
        </Show>
      </Block>
    </>
  );
}

function PlaceRow({ place, label, total }: { place: PlaceFigures; label: ReactNode; total?: boolean }) {
  return (
    <tr className={total ? 'total' : undefined}>
      <th scope="row">{label}</th>
      <td>{place.reported}</td>
      <td>{place.registered}</td>
      <td>{place.closed}</td>
      <td>{formatNumber(place.density, 2)}</td>
      <td>{formatRate(place.selfClosureRate)}</td>
      <td>{formatRate(place.escalationRate)}</td>
      <td>{formatRate(place.satisfactionRate)}</td>
      <td>{place.whistlesBlown}</td>
    </tr>
  );
}

function Places({ month, round }: { month: string; round: number }) {
  const { api } = useApp();
  const { t } = useT();
  const [data, reload] = useLoad(
    () => api.get<Dashboard>(analyticsPath('places', { period: month })),
    `places:${month}:${round}`,
  );
  const nameOf = (dashboard: Dashboard) => (code: string) =>
    dashboard.children.find((place) => place.code === code)?.name ?? code;
  const placeTitle = (place: PlaceFigures) =>
    place.code === 'all' ? (place.name ?? t('cityWide')) : <PlaceName {...place} />;
  return (
    <>
      <Block
        id="places-title"
        title={t('placesTitle')}
        actions={
          <CsvButton
            path={analyticsPath('places', { period: month, format: 'csv' })}
            name={`places-${month}`}
            what={t('placesTitle')}
          />
        }
      >
        <Show data={data} retry={reload}>
          {(dashboard) => (
            <>
              {dashboard.children.length > 0 && (
                <LazyBarChart
                  label={t('placesChart')}
                  bars={placeBars(dashboard.children, {
                    registered: t('colRegistered'),
                    closed: t('colClosed'),
                  })}
                />
              )}
              <Table
                caption={t('placesTitle')}
                testId="places"
                heads={[
                  t('colPlace'),
                  t('colReported'),
                  t('colRegistered'),
                  t('colClosed'),
                  t('colDensity'),
                  t('colSelfClosure'),
                  t('colEscalation'),
                  t('satisfactionRate'),
                  t('colWhistles'),
                ]}
              >
                {dashboard.children.map((place) => (
                  <PlaceRow key={place.code} place={place} label={<PlaceName {...place} />} />
                ))}
                <PlaceRow
                  place={dashboard.place}
                  label={
                    <>
                      {t('placeTotal')} · {placeTitle(dashboard.place)}
                    </>
                  }
                  total
                />
              </Table>
            </>
          )}
        </Show>
      </Block>
      <Block
        id="hotline-places-title"
        title={`${t('hotlineTitle')} · ${t('hotlineByPlace')}`}
        actions={
          <CsvButton
            path={analyticsPath('hotline', { period: month, format: 'csv' })}
            name={`hotline-${month}`}
            what={`${t('hotlineTitle')} · ${t('hotlineByPlace')}`}
          />
        }
      >
        <Show data={data} retry={reload}>
          {(dashboard) => {
            const rows = dashboard.children.map((place) => ({ code: place.code, ...place.hotline }));
            return (
              <>
                {rows.length > 0 && (
                  <LazyBarChart
                    label={t('hotlineChart')}
                    unit="%"
                    max={100}
                    bars={rateBars(rows, nameOf(dashboard), {
                      response: t('responseRate'),
                      resolution: t('resolutionRate'),
                      satisfaction: t('satisfactionRate'),
                    })}
                  />
                )}
                <Table caption={t('hotlineTitle')} heads={[t('colPlace'), ...rateHeads.map(t)]}>
                  {rows.map((row) => (
                    <tr key={row.code}>
                      <th scope="row">{nameOf(dashboard)(row.code)}</th>
                      {rateCells(row)}
                    </tr>
                  ))}
                  <tr className="total">
                    <th scope="row">{t('placeTotal')}</th>
                    {rateCells(dashboard.place.hotline)}
                  </tr>
                </Table>
              </>
            );
          }}
        </Show>
      </Block>
      <Block id="case-export-title" title={t('caseExportTitle')}>
        <Show data={data} retry={reload}>
          {(dashboard) => <CaseExport month={month} places={dashboard.children} />}
        </Show>
      </Block>
    </>
  );
}

/**
 * The month's cases as a file, under the caller's place or one of the places beneath it (the
 * comparison's rows): CSV for a spreadsheet, GeoJSON for a GIS. The API bounds both by the caller's scope.
 */
function CaseExport({ month, places }: { month: string; places: PlaceFigures[] }) {
  const { session } = useApp();
  const i18n = useT();
  const { t } = i18n;
  const id = useId();
  const [place, setPlace] = useState('');
  const [busy, setBusy] = useState<'csv' | 'geojson'>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  const download = async (format: 'csv' | 'geojson') => {
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      const path = caseExportPath(month, format, place || undefined);
      const fallback = `cases-${place || 'all'}-${month}.${format}`;
      setDone(
        format === 'csv'
          ? await downloadCsv(path, session.token, fallback)
          : await downloadFile(path, session.token, fallback, 'application/geo+json'),
      );
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="case-export">
      <p className="small muted" id={`${id}-hint`}>
        {t('caseExportHint')}
      </p>
      <div className="row wrap">
        <label className="inline" htmlFor={`${id}-place`}>
          {t('caseExportPlace')}
        </label>
        <select
          id={`${id}-place`}
          value={place}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setPlace(event.target.value)}
        >
          <option value="">{t('caseExportOwnPlace')}</option>
          {places.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name ? `${p.name} (${p.code})` : p.code}
            </option>
          ))}
        </select>
        <button type="button" disabled={busy !== undefined} onClick={() => download('csv')}>
          {busy === 'csv' ? t('exporting') : t('caseExportCsv')}
        </button>
        <button type="button" disabled={busy !== undefined} onClick={() => download('geojson')}>
          {busy === 'geojson' ? t('exporting') : t('caseExportGeoJson')}
        </button>
      </div>
      <p aria-live="polite" className="small" data-testid="case-export-status">
        {done ? `${t('caseExportDone')}: ${done}` : ''}
      </p>
      {error !== undefined && (
        <p className="error" role="alert">
          {errorText(error, i18n)}
        </p>
      )}
    </div>
  );
}

function HotSpotsBlock({ month, round }: { month: string; round: number }) {
  const { api } = useApp();
  const i18n = useT();
  const { t } = i18n;
  const [data, reload] = useLoad(
    () =>
      Promise.all([
        api.get<HotSpots>(analyticsPath('hotspots', { month })),
        api.get<MonthlyProblem>(analyticsPath('monthly-problem', { month })),
      ]),
    `hotspots:${month}:${round}`,
  );
  const categoryLabel = (item: { categoryCode: string; name?: { zh: string; en: string } }) =>
    item.name ? `${i18n.pick(item.name)} (${item.categoryCode})` : item.categoryCode;
  return (
    <>
      <Block
        id="monthly-problem-title"
        title={t('monthlyProblemTitle')}
        actions={
          <CsvButton
            path={analyticsPath('monthly-problem', { month, format: 'csv' })}
            name={`monthly-problem-${month}`}
            what={t('monthlyProblemTitle')}
          />
        }
      >
        <Show data={data} retry={reload}>
          {([, problem]) =>
            problem.proposal ? (
              <div data-testid="monthly-problem">
                <p className="lead">
                  {t('monthlyProblemLead')}: <strong>{categoryLabel(problem.proposal)}</strong>
                </p>
                <p>
                  {t('colCount')} {problem.proposal.count} · {t('colPrevious')} {problem.proposal.previous} ·{' '}
                  {t('colGrowth')} {problem.proposal.growth > 0 ? '+' : ''}
                  {problem.proposal.growth} ({formatRate(problem.proposal.growthRate)})
                </p>
                {problem.proposal.grids.length > 0 && (
                  <p className="small" data-testid="monthly-problem-grids">
                    {t('colGrid')}:{' '}
                    {problem.proposal.grids
                      .map((grid) => {
                        const code = i18n.lang === 'zh' ? `（${grid.code}）` : ` (${grid.code})`;
                        return `${grid.name ? `${grid.name}${code}` : grid.code} ${grid.count}`;
                      })
                      .join(i18n.lang === 'zh' ? '、' : ', ')}
                  </p>
                )}
              </div>
            ) : (
              <p className="muted">{t('noProposal')}</p>
            )
          }
        </Show>
      </Block>
      <Block
        id="hotspots-title"
        title={t('hotspotsTitle')}
        actions={
          <CsvButton
            path={analyticsPath('hotspots', { month, format: 'csv' })}
            name={`hotspots-${month}`}
            what={t('topCategories')}
          />
        }
      >
        <Show data={data} retry={reload}>
          {([spots]) => (
            <div className="grid2">
              <div>
                <h3>{t('topCategories')}</h3>
                {spots.topCategories.length === 0 ? (
                  <p className="muted">{t('empty')}</p>
                ) : (
                  <>
                    <LazyBarChart
                      label={t('topCategories')}
                      bars={{
                        labels: spots.topCategories.map((item) =>
                          item.name ? i18n.pick(item.name) : item.categoryCode,
                        ),
                        series: [
                          { name: t('colCount'), values: spots.topCategories.map((item) => item.count) },
                        ],
                      }}
                    />
                    <Table caption={t('topCategories')} heads={[t('colCategory'), t('colCount')]}>
                      {spots.topCategories.map((item) => (
                        <tr key={item.categoryCode}>
                          <th scope="row">{categoryLabel(item)}</th>
                          <td>{item.count}</td>
                        </tr>
                      ))}
                    </Table>
                  </>
                )}
              </div>
              <div>
                <h3>{t('topGrids')}</h3>
                {spots.topGrids.length === 0 ? (
                  <p className="muted">{t('empty')}</p>
                ) : (
                  <Table caption={t('topGrids')} heads={[t('colGrid'), t('colCount')]}>
                    {spots.topGrids.map((grid) => (
                      <tr key={grid.code}>
                        <th scope="row">
                          <PlaceName {...grid} />
                        </th>
                        <td>{grid.count}</td>
                      </tr>
                    ))}
                  </Table>
                )}
                <h3>{t('risingCategories')}</h3>
                {spots.risingCategories.length === 0 ? (
                  <p className="muted">{t('empty')}</p>
                ) : (
                  <Table
                    caption={t('risingCategories')}
                    heads={[t('colCategory'), t('colCount'), t('colPrevious'), t('colGrowth')]}
                  >
                    {spots.risingCategories.map((item) => (
                      <tr key={item.categoryCode}>
                        <th scope="row">{categoryLabel(item)}</th>
                        <td>{item.count}</td>
                        <td>{item.previous}</td>
                        <td>
                          +{item.growth} ({formatRate(item.growthRate)})
                        </td>
                      </tr>
                    ))}
                  </Table>
                )}
              </div>
            </div>
          )}
        </Show>
      </Block>
    </>
  );
}

/** Registered cases per grid on the map, darker where more; a click names the grid's figures. */
function HotSpotMap({ month, round }: { month: string; round: number }) {
  const { api } = useApp();
  const { t } = useT();
  const [selected, setSelected] = useState<string>();
  const [data, reload] = useLoad(
    () =>
      api.get<FeatureCollection>(analyticsPath('hotspots/grids', { month })).then((c) => gridChoropleth(c)),
    `hotspot-grids:${month}:${round}`,
  );
  return (
    <Block id="hotspot-map-title" title={t('hotspotMap')}>
      <Show data={data} retry={reload} isEmpty={(value) => value.units.features.length === 0}>
        {({ units, max }) => {
          const picked = units.features.find((f) => f.properties?.code === selected)?.properties;
          return (
            <>
              <p className="small muted">{t('hotspotMapHint')}</p>
              <LazyMap
                units={units}
                label={t('hotspotMap')}
                choropleth={{ property: 'registered', max }}
                highlight={selected}
                onGridClick={setSelected}
                className="map-small"
              />
              <p aria-live="polite" data-testid="hotspot-grid">
                {picked
                  ? `${picked.name ?? picked.code} · ${t('colReported')} ${picked.reported} · ${t('colRegistered')} ${picked.registered} · ${t('colClosed')} ${picked.closed}`
                  : ''}
              </p>
            </>
          );
        }}
      </Show>
    </Block>
  );
}

/**
 * Figures (图表): scorecards, hotline rates, place comparison, hot spots and the monthly problem. The
 * month starts as the city's current one, on the wall clock of its working calendar's time zone (the
 * browser may sit elsewhere); with no calendar at hand, the browser's month.
 */
export function FiguresPage() {
  const { api } = useApp();
  const { t } = useT();
  const [zone] = useLoad(
    () =>
      api.get<{ calendar: { timeZone?: string } }>('/v1/settings/calendar').then(
        (view) => view.calendar.timeZone,
        () => undefined,
      ),
    'calendar-zone',
  );
  if (zone.state === 'loading')
    return (
      <section aria-labelledby="figures-title" className="figures">
        <h1 id="figures-title">{t('navFigures')}</h1>
        <p className="muted" aria-busy="true">
          {t('loading')}
        </p>
      </section>
    );
  return <FiguresBody timeZone={zone.state === 'ready' ? zone.value : undefined} />;
}

function FiguresBody({ timeZone }: { timeZone?: string }) {
  const { session } = useApp();
  const { t } = useT();
  const access = useMemo(() => figuresAccess(session.user), [session.user]);
  const [month, setMonth] = useState(() => monthOf(new Date(), timeZone));
  const [round, setRound] = useState(0);
  return (
    <section aria-labelledby="figures-title" className="figures">
      <div className="row spread wrap">
        <h1 id="figures-title">{t('navFigures')}</h1>
        <div className="row wrap">
          <label className="inline">
            {t('figuresMonth')}
            <input
              type="month"
              value={month}
              required
              onChange={(event) => {
                if (/^\d{4}-\d{2}$/.test(event.target.value)) setMonth(event.target.value);
              }}
            />
          </label>
          <button type="button" onClick={() => setRound((r) => r + 1)}>
            {t('figuresRefresh')}
          </button>
        </div>
      </div>
      {access.scorecards && <Scorecards month={month} round={round} />}
      {access.places && <Places month={month} round={round} />}
      {access.places && <HotSpotsBlock month={month} round={round} />}
      {access.places && <HotSpotMap month={month} round={round} />}
    </section>
  );
}
