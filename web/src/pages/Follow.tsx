import { type FormEvent, useId, useMemo, useState } from 'react';
import { type ApiClient, ApiError, createApi } from '../api';
import { ErrorText } from '../components/Status';
import { useLoad } from '../hooks';
import { type MessageKey, useT } from '../i18n';
import {
  explainError,
  followPath,
  isTrackingCode,
  normalizeCode,
  type PublicProgress,
  publicBase,
  rememberedReports,
  reportPath,
} from '../public';
import { navigate } from '../router';
import { RouterLink } from './PublicReport';

const rateLabels: Record<number, MessageKey> = {
  1: 'publicRate1',
  2: 'publicRate2',
  3: 'publicRate3',
  4: 'publicRate4',
  5: 'publicRate5',
};

/** What the page shows of a case: a public report's progress, or the plain track of another channel. */
type Followed =
  | { kind: 'public'; progress: PublicProgress }
  | {
      kind: 'track';
      progress: {
        status: string;
        reportedAt: string;
        closedAt?: string;
        steps: { type: string; at: string }[];
      };
    };

/**
 * Reports made through the public page answer at `/v1/public/…/reports/{code}` (and can be rated);
 * a code from the hotline or a staff report is only found by the plain tracking endpoint.
 */
const loadFollowed = async (api: ApiClient, tenantId: string, code: string): Promise<Followed> => {
  try {
    return {
      kind: 'public',
      progress: await api.get<PublicProgress>(`${publicBase(tenantId)}/reports/${code}`),
    };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    try {
      return {
        kind: 'track',
        progress: await api.get(`/v1/track/${encodeURIComponent(tenantId)}/${encodeURIComponent(code)}`),
      };
    } catch {
      throw error;
    }
  }
};

function CodeForm({ tenantId, initial }: { tenantId: string; initial?: string }) {
  const i18n = useT();
  const id = useId();
  const [code, setCode] = useState(initial ?? '');
  const [invalid, setInvalid] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const normalized = normalizeCode(code);
    if (!isTrackingCode(normalized)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    navigate(followPath(tenantId, normalized));
  };
  return (
    <form onSubmit={submit} className="card" aria-label={i18n.t('trackTitle')} noValidate>
      <label htmlFor={`${id}-code`}>{i18n.t('trackingCode')}</label>
      <div className="row">
        <input
          id={`${id}-code`}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoCapitalize="characters"
          autoComplete="off"
          maxLength={16}
        />
        <button type="submit">{i18n.t('publicFollowGo')}</button>
      </div>
      {invalid && (
        <p className="error" role="alert">
          {i18n.t('publicCodeInvalid')}
        </p>
      )}
    </form>
  );
}

function RatingForm(props: { api: ApiClient; tenantId: string; code: string; onRated: () => void }) {
  const i18n = useT();
  const id = useId();
  const [satisfaction, setSatisfaction] = useState<number>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!satisfaction) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`${publicBase(props.tenantId)}/reports/${props.code}/rating`, {
        satisfaction,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      props.onRated();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  const explained = explainError(error);
  return (
    <form onSubmit={submit} className="card" aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>{i18n.t('publicRateTitle')}</h2>
      <fieldset className="rating">
        <legend className="sr-only">{i18n.t('satisfaction')}</legend>
        {[5, 4, 3, 2, 1].map((value) => (
          <label key={value} className="check">
            <input
              type="radio"
              name={`${id}-satisfaction`}
              value={value}
              checked={satisfaction === value}
              onChange={() => setSatisfaction(value)}
            />
            {i18n.t(rateLabels[value] as MessageKey)}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-comment`}>{i18n.t('publicRateComment')}</label>
      <textarea
        id={`${id}-comment`}
        rows={2}
        maxLength={500}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      {missing && (
        <p className="error" role="alert">
          {i18n.t('publicMissing')}: {i18n.t('satisfaction')}
        </p>
      )}
      {explained ? (
        <p className="error" role="alert">
          {i18n.t(explained)}
        </p>
      ) : (
        <ErrorText error={error} />
      )}
      <button type="submit" className="primary block" disabled={busy}>
        {i18n.t('publicRateSubmit')}
      </button>
    </form>
  );
}

/**
 * Follows a report by its tracking code without an account: the public steps, in the
 * visitor's language, and once the case is closed a rating of the result.
 */
export function FollowPage(props: { tenantId: string; code?: string | undefined; api?: ApiClient }) {
  const i18n = useT();
  const { tenantId } = props;
  const api = useMemo(() => props.api ?? createApi(undefined, () => {}), [props.api]);
  const code = props.code ? normalizeCode(props.code) : undefined;
  const [followed, reload] = useLoad(
    () =>
      code && isTrackingCode(code)
        ? loadFollowed(api, tenantId, code)
        : Promise.reject(new ApiError(404, 'not_found', 'no tracking code')),
    `follow-${tenantId}-${code ?? ''}`,
  );
  const [thanks, setThanks] = useState(false);
  const mine = rememberedReports(tenantId);

  if (!code) {
    return (
      <section className="report public-report">
        <h1>{i18n.t('publicFollowTitle')}</h1>
        <CodeForm tenantId={tenantId} />
        {mine.length > 0 && (
          <section className="card">
            <h2>{i18n.t('publicMyReports')}</h2>
            <ul className="matches">
              {mine.map((r) => (
                <li key={r.trackingCode}>
                  <RouterLink to={followPath(tenantId, r.trackingCode)}>{r.trackingCode}</RouterLink>{' '}
                  <span className="muted small">{i18n.date(r.at)}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        <p>
          <RouterLink to={reportPath(tenantId)}>{i18n.t('publicReportTitle')}</RouterLink>
        </p>
      </section>
    );
  }

  return (
    <section className="report public-report" aria-labelledby="follow-title">
      <h1 id="follow-title">{i18n.t('publicFollowTitle')}</h1>
      <p>
        {i18n.t('trackingCode')}: <strong>{code}</strong>
      </p>
      {followed.state === 'loading' && (
        <p className="muted" aria-busy="true">
          {i18n.t('loading')}
        </p>
      )}
      {followed.state === 'error' && (
        <>
          <p className="error" role="alert">
            {i18n.t(explainError(followed.error) ?? 'error')}
          </p>
          <CodeForm tenantId={tenantId} initial={code} />
        </>
      )}
      {followed.state === 'ready' && (
        <>
          <div className="card" data-testid="follow-result">
            <p>
              {i18n.t('status')}:{' '}
              <strong
                className={`badge status-${followed.value.progress.status}`}
                data-testid="follow-status"
                data-status={followed.value.progress.status}
              >
                {i18n.status(followed.value.progress.status)}
              </strong>
            </p>
            <dl className="facts">
              {followed.value.kind === 'public' && followed.value.progress.category && (
                <>
                  <dt>{i18n.t('category')}</dt>
                  <dd>{i18n.pick(followed.value.progress.category.name)}</dd>
                </>
              )}
              {followed.value.kind === 'public' && followed.value.progress.description && (
                <>
                  <dt>{i18n.t('description')}</dt>
                  <dd className="desc">{followed.value.progress.description}</dd>
                </>
              )}
              <dt>{i18n.t('reportedAt')}</dt>
              <dd>{i18n.date(followed.value.progress.reportedAt)}</dd>
              {followed.value.progress.closedAt && (
                <>
                  <dt>{i18n.t('publicClosedAt')}</dt>
                  <dd>{i18n.date(followed.value.progress.closedAt)}</dd>
                </>
              )}
            </dl>
            <h2>{i18n.t('timeline')}</h2>
            <ol className="timeline">
              {followed.value.kind === 'public'
                ? followed.value.progress.steps.map((step, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only, so positions are stable
                    <li key={index}>
                      <time dateTime={step.at}>{i18n.date(step.at)}</time> {i18n.pick(step.label)}
                    </li>
                  ))
                : followed.value.progress.steps.map((step, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only, so positions are stable
                    <li key={index}>
                      <time dateTime={step.at}>{i18n.date(step.at)}</time> {i18n.event(step.type)}
                    </li>
                  ))}
            </ol>
            <button type="button" onClick={reload}>
              {i18n.t('publicRefresh')}
            </button>
          </div>
          {thanks && (
            <p className="notice" role="status">
              {i18n.t('publicRateThanks')}
            </p>
          )}
          {followed.value.kind === 'public' && followed.value.progress.rating && (
            <p data-testid="follow-rating">
              {i18n.t('publicRated')}:{' '}
              <strong>
                {i18n.t(rateLabels[followed.value.progress.rating.satisfaction] ?? 'publicRate3')}
              </strong>
            </p>
          )}
          {followed.value.kind === 'public' && followed.value.progress.canRate && (
            <RatingForm
              api={api}
              tenantId={tenantId}
              code={code}
              onRated={() => {
                setThanks(true);
                reload();
              }}
            />
          )}
        </>
      )}
      <p>
        <RouterLink to={reportPath(tenantId)}>{i18n.t('publicReportTitle')}</RouterLink>
      </p>
    </section>
  );
}
