import { useState } from 'react';
import { bucketOf, type CaseView } from '../actions';
import { Show } from '../components/Status';
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

export function CaseList({ items }: { items: CaseView[] }) {
  const i18n = useT();
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
            <span className="desc">{item.description}</span>
            {item.deadlineStatus && item.deadlineStatus !== 'on_time' && (
              <span className={`badge deadline-${item.deadlineStatus}`}>
                {i18n.t(item.deadlineStatus === 'overdue' ? 'overdue' : 'dueSoon')}
              </span>
            )}
            <span className="muted small">
              {i18n.channel(item.channel)} · {i18n.date(item.reportedAt)}
              {item.location.address ? ` · ${item.location.address}` : ''}
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
  const [inbox, reloadInbox] = useLoad(() => api.get<{ items: CaseView[] }>('/v1/cases/inbox'), `inbox`);
  const [recent, reloadRecent] = useLoad(
    () =>
      tab === 'recent'
        ? api.get<{ items: CaseView[] }>(
            `/v1/cases/search?from=${day(new Date(Date.now() - 30 * 86_400_000))}&to=${day(new Date(Date.now() + 86_400_000))}&limit=100`,
          )
        : Promise.resolve({ items: [] }),
    `recent-${tab}`,
  );
  const canSearch = session.user.role !== 'citizen';

  return (
    <section aria-labelledby="cases-title">
      <div className="row spread">
        <h1 id="cases-title">{i18n.t('navCases')}</h1>
        <button type="button" onClick={tab === 'inbox' ? reloadInbox : reloadRecent}>
          {i18n.t('retry')}
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
        <Show data={recent} retry={reloadRecent}>
          {({ items }) => <CaseList items={items} />}
        </Show>
      )}
    </section>
  );
}
