import { caseStatuses } from '@civicgrid/domain';
import { useState } from 'react';
import { bucketOf, type CaseRow, pointOf } from '../actions';
import { LazyMap as MapView } from '../components/LazyMap';
import { Show } from '../components/Status';
import { categoriesOf, categoryName } from '../data';
import { useApp, useLoad } from '../hooks';
import { type MessageKey, useT } from '../i18n';
import { navigate } from '../router';

type Tab = 'inbox' | 'recent';
const buckets = ['overdue', 'due_soon', 'waiting'] as const;
const bucketLabels: Record<(typeof buckets)[number], MessageKey> = {
  overdue: 'overdue',
  due_soon: 'dueSoon',
  waiting: 'waiting',
};

const day = (date: Date) => date.toISOString().slice(0, 10);
const period = (days: number) =>
  `from=${day(new Date(Date.now() - days * 86_400_000))}&to=${day(new Date(Date.now() + 86_400_000))}`;

export function CaseList({ items }: { items: CaseRow[] }) {
  const i18n = useT();
  const { api, session } = useApp();
  const [reference] = useLoad(() => categoriesOf(api, session), 'categories');
  const categories = reference.state === 'ready' ? reference.value : [];
  if (items.length === 0) return <p className="muted">{i18n.t('noCases')}</p>;
  return (
    <ul className="cases">
      {items.map((item) => (
        <li key={item.id} data-testid="case-row" data-status={item.status}>
          <a
            href={`/cases/${item.id}`}
            onClick={(event) => {
              event.preventDefault();
              navigate(`/cases/${item.id}`);
            }}
          >
            <span className={`badge status-${item.status}`}>{i18n.status(item.status)}</span>
            <span className="desc">
              {item.description || categoryName(categories, item.categoryCode, i18n.lang) || item.id}
            </span>
            {item.deadlineStatus && item.deadlineStatus !== 'on_time' && (
              <span className={`badge deadline-${item.deadlineStatus}`}>
                {i18n.t(item.deadlineStatus === 'overdue' ? 'overdue' : 'dueSoon')}
              </span>
            )}
            {item.allowedCommands && item.allowedCommands.length > 0 && (
              <span className="small your-turn" data-testid="your-turn">
                {i18n.t('yourTurn')}:{' '}
                {item.allowedCommands
                  .map((type) => i18n.command(type))
                  .join(i18n.lang === 'zh' ? '、' : ', ')}
              </span>
            )}
            <span className="muted small">
              {i18n.channel(item.channel)} · {i18n.date(item.reportedAt)}
              {item.location?.address ? ` · ${item.location.address}` : ''}
              {!item.location && item.gridCode ? ` · ${item.gridCode}` : ''}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function CasesPage() {
  const { api, session } = useApp();
  const i18n = useT();
  const [tab, setTab] = useState<Tab>('inbox');
  // The API's inbox already holds what waits for this user (a grid worker's checks too).
  const [inbox, reloadInbox] = useLoad(() => api.get<{ items: CaseRow[] }>('/v1/cases/inbox'), 'inbox');
  const [status, setStatus] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [recent, reloadRecent] = useLoad(
    () =>
      tab === 'recent'
        ? api.get<{ items: CaseRow[] }>(
            `/v1/cases/search?${period(30)}&limit=100${status ? `&status=${status}` : ''}${overdueOnly ? '&overdue=true' : ''}`,
          )
        : Promise.resolve({ items: [] }),
    `recent-${tab}-${status}-${overdueOnly}`,
  );
  const canSearch = session.user.role !== 'citizen';

  return (
    <section aria-labelledby="cases-title" className="cases-page">
      <div className="row spread">
        <h1 id="cases-title">{i18n.t('navCases')}</h1>
        <button type="button" onClick={tab === 'inbox' ? reloadInbox : reloadRecent}>
          {i18n.t('refresh')}
        </button>
      </div>
      {canSearch && (
        <div role="tablist" className="tabs">
          {(['inbox', 'recent'] as const).map((key) => (
            <button
              key={key}
              type="button"
              role="tab"
              aria-selected={tab === key}
              onClick={() => setTab(key)}
            >
              {i18n.t(key)}
            </button>
          ))}
        </div>
      )}
      {tab === 'inbox' ? (
        <Show data={inbox} retry={reloadInbox}>
          {({ items }) =>
            items.length === 0 ? (
              <p className="muted">{i18n.t('noCases')}</p>
            ) : (
              buckets.map((bucket) => {
                const some = items.filter((item) => bucketOf(item) === bucket);
                return some.length === 0 ? null : (
                  <section key={bucket} aria-label={i18n.t(bucketLabels[bucket])}>
                    <h2>
                      {i18n.t(bucketLabels[bucket])} <span className="muted">({some.length})</span>
                    </h2>
                    <CaseList items={some} />
                  </section>
                );
              })
            )
          }
        </Show>
      ) : (
        <>
          <div className="row wrap filters">
            <label className="inline">
              {i18n.t('status')}{' '}
              <select value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">{i18n.t('allCases')}</option>
                {caseStatuses.map((value) => (
                  <option key={value} value={value}>
                    {i18n.status(value)}
                  </option>
                ))}
              </select>
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={overdueOnly}
                onChange={(e) => setOverdueOnly(e.target.checked)}
              />
              {i18n.t('overdue')}
            </label>
          </div>
          <Show data={recent} retry={reloadRecent}>
            {({ items }) => {
              const points = items.flatMap((item) => {
                const point = pointOf(item);
                return point ? [{ id: item.id, kind: 'case' as const, point }] : [];
              });
              return (
                <div className="detail">
                  <div className="detail-main">
                    <CaseList items={items} />
                  </div>
                  {points.length > 0 && (
                    <div className="detail-map">
                      <MapView
                        units={undefined}
                        points={points}
                        onPointClick={(p) => navigate(`/cases/${p.id}`)}
                        label={i18n.t('resultsOnMap')}
                      />
                    </div>
                  )}
                </div>
              );
            }}
          </Show>
        </>
      )}
    </section>
  );
}
