import type { CaseCommandType } from '@civicgrid/domain';
import { Fragment, useEffect, useState } from 'react';
import type { CaseView } from '../actions';
import { CommandForm } from '../components/CommandForm';
import { LazyMap as MapView } from '../components/LazyMap';
import { Show } from '../components/Status';
import { categoriesOf, categoryName, departmentName, departmentsOf, unitsOf } from '../data';
import { errorText } from '../errors';
import { useApp, useLoad } from '../hooks';
import { useT } from '../i18n';
import { navigate } from '../router';

type Command = Exclude<CaseCommandType, 'report'>;

/** Every photo the case cites: the report's, the verification's, the results' and the checks'. */
const attachmentIdsOf = (view: CaseView): string[] => [
  ...new Set([
    ...view.attachmentIds,
    ...(view.verification?.attachmentIds ?? []),
    ...view.assignments.flatMap((a) => a.result?.evidenceIds ?? []),
    ...view.checks.flatMap((c) => c.attachmentIds),
  ]),
];

interface Photo {
  attachmentId: string;
  downloadUrl: string;
  contentType: string;
  fileName?: string;
}

/** The case's photos; one that cannot be fetched (e.g. never uploaded) is named, the others still show. */
export function Photos({ ids }: { ids: string[] }) {
  const { api } = useApp();
  const i18n = useT();
  const [photos] = useLoad(
    () => Promise.allSettled(ids.map((id) => api.get<Photo>(`/v1/attachments/${id}`))),
    ids.join(','),
  );
  if (ids.length === 0) return null;
  return (
    <section aria-labelledby="photos-title">
      <h2 id="photos-title">{i18n.t('photos')}</h2>
      <Show data={photos}>
        {(results) => (
          <div className="photos">
            {results.map((result, index) => {
              if (result.status === 'rejected')
                return (
                  <p key={ids[index]} className="muted small" data-testid="photo-missing">
                    {i18n.t('photoUnavailable')}: {errorText(result.reason, i18n)}
                  </p>
                );
              const p = result.value;
              return (
                <a key={p.attachmentId} href={p.downloadUrl} target="_blank" rel="noreferrer">
                  {p.contentType.startsWith('image/') ? (
                    <img src={p.downloadUrl} alt={p.fileName ?? p.attachmentId} />
                  ) : (
                    (p.fileName ?? p.attachmentId)
                  )}
                </a>
              );
            })}
          </div>
        )}
      </Show>
    </section>
  );
}

export function CaseDetailPage({ caseId }: { caseId: string }) {
  const { api, session } = useApp();
  const i18n = useT();
  const [loaded, reload] = useLoad(() => api.get<CaseView>(`/v1/cases/${caseId}`), caseId);
  const [view, setView] = useState<CaseView>();
  const [open, setOpen] = useState<Command>();
  const [reference] = useLoad(
    () => Promise.all([departmentsOf(api, session), categoriesOf(api, session)]),
    'reference',
  );
  const departments = reference.state === 'ready' ? reference.value[0] : [];
  const categories = reference.state === 'ready' ? reference.value[1] : [];
  useEffect(() => {
    if (loaded.state === 'ready') setView(loaded.value);
  }, [loaded]);
  const gridCode = view?.location.gridCode;
  const [units] = useLoad(
    () => (gridCode ? unitsOf(api, session, gridCode).catch(() => undefined) : Promise.resolve(undefined)),
    `units-${gridCode ?? ''}`,
  );

  return (
    <section aria-labelledby="case-title">
      <button type="button" className="link" onClick={() => navigate('/cases')}>
        ← {i18n.t('back')}
      </button>
      <Show data={loaded} retry={reload}>
        {() => {
          if (!view) return null;
          // Exactly what the API says this user may do now; the console judges nothing itself.
          const commands = view.allowedCommands ?? [];
          // The case carries its departments' names; the city's list covers one it does not.
          const nameOfDepartment = (id: string) => {
            const named = view.departmentNames?.[id];
            if (!named) return departmentName(departments, id, i18n.lang);
            return i18n.lang === 'en' && named.en ? named.en : named.zh;
          };
          return (
            <div className="detail">
              <div className="detail-main">
                <h1 id="case-title">
                  {i18n.t('caseDetail')}{' '}
                  <span
                    className={`badge status-${view.status}`}
                    data-testid="case-status"
                    data-status={view.status}
                  >
                    {i18n.status(view.status)}
                  </span>
                  {view.deadlineStatus && view.deadlineStatus !== 'on_time' && (
                    <span className={`badge deadline-${view.deadlineStatus}`}>
                      {i18n.t(view.deadlineStatus === 'overdue' ? 'overdue' : 'dueSoon')}
                    </span>
                  )}
                </h1>
                <p className="lead">{view.description}</p>
                <dl className="facts">
                  <dt>{i18n.t('category')}</dt>
                  <dd>{categoryName(categories, view.categoryCode, i18n.lang) || '—'}</dd>
                  <dt>{i18n.t('channel')}</dt>
                  <dd>{i18n.channel(view.channel)}</dd>
                  <dt>{i18n.t('reportedAt')}</dt>
                  <dd>{i18n.date(view.reportedAt)}</dd>
                  <dt>{i18n.t('address')}</dt>
                  <dd>{view.location.address ?? '—'}</dd>
                  <dt>{i18n.t('grid')}</dt>
                  <dd>{view.location.gridCode ?? '—'}</dd>
                  {view.deadline && (
                    <>
                      <dt>{i18n.t('deadline')}</dt>
                      <dd>
                        {view.deadline.step === 'check'
                          ? i18n.t('stepCheck')
                          : i18n.command(view.deadline.step)}{' '}
                        · {i18n.date(view.deadline.dueAt)}
                      </dd>
                    </>
                  )}
                  {view.assignments.length > 0 && (
                    <>
                      <dt>{i18n.t('assignments')}</dt>
                      <dd>
                        {view.assignments
                          .map(
                            (a) =>
                              `${nameOfDepartment(a.departmentId)}${i18n.lang === 'zh' ? `（${i18n.status(a.state)}）` : ` (${i18n.status(a.state)})`}`,
                          )
                          .join('、')}
                      </dd>
                    </>
                  )}
                  {[
                    ['verifiedFrom', view.verification?.distanceM] as const,
                    ['checkedFrom', view.checks.at(-1)?.distanceM] as const,
                  ].map(([label, metres]) =>
                    metres === undefined ? null : (
                      <Fragment key={label}>
                        <dt>{i18n.t(label)}</dt>
                        <dd data-testid={`${label}-distance`}>
                          {i18n.t('fromReportedPoint')} {metres} {i18n.t('metres')}
                        </dd>
                      </Fragment>
                    ),
                  )}
                  {view.contact && (
                    <>
                      <dt>☎</dt>
                      <dd>{[view.contact.name, view.contact.phone].filter(Boolean).join(' ')}</dd>
                    </>
                  )}
                </dl>

                <section aria-labelledby="actions-title" className="actions">
                  <h2 id="actions-title">{i18n.t('actions')}</h2>
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
                          data-command={type}
                          aria-expanded={open === type}
                          onClick={() => setOpen(open === type ? undefined : type)}
                        >
                          {i18n.command(type)}
                        </button>
                      ))}
                    </div>
                  )}
                  {open && commands.includes(open) && (
                    <CommandForm
                      key={open}
                      type={open}
                      view={view}
                      api={api}
                      departments={departments}
                      categories={categories}
                      onCancel={() => setOpen(undefined)}
                      onDone={(next) => {
                        setOpen(undefined);
                        setView(next);
                      }}
                    />
                  )}
                </section>

                <Photos ids={attachmentIdsOf(view)} />

                <section aria-labelledby="timeline-title">
                  <h2 id="timeline-title">{i18n.t('timeline')}</h2>
                  <ol className="timeline">
                    {(view.timeline ?? []).map((event, index) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only, so positions are stable
                      <li key={`${event.type}-${index}`}>
                        <time dateTime={event.at}>{i18n.date(event.at)}</time>{' '}
                        <strong>{i18n.event(event.type)}</strong>
                        {event.actor && (
                          <span className="muted">
                            {' '}
                            · {i18n.role(event.actor.role)}
                            {event.actor.userId.startsWith('system:') ? ` (${i18n.t('automatic')})` : ''}
                            {event.actor.departmentId ? ` ${nameOfDepartment(event.actor.departmentId)}` : ''}
                          </span>
                        )}
                      </li>
                    ))}
                  </ol>
                </section>
              </div>
              {(view.location.point || (units.state === 'ready' && units.value)) && (
                <div className="detail-map">
                  <MapView
                    units={units.state === 'ready' ? units.value : undefined}
                    highlight={gridCode}
                    marker={view.location.point}
                    label={i18n.t('location')}
                  />
                </div>
              )}
            </div>
          );
        }}
      </Show>
    </section>
  );
}
