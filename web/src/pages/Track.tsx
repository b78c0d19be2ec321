import { type FormEvent, useId, useState } from 'react';
import { createApi } from '../api';
import { ErrorText } from '../components/Status';
import { useT } from '../i18n';

interface Progress {
  status: string;
  reportedAt: string;
  closedAt?: string;
  steps: { type: string; at: string }[];
}

/** Anyone with a tracking code follows a case, without signing in (no personal data is shown). */
export function TrackForm({ tenantId }: { tenantId: string }) {
  const i18n = useT();
  const id = useId();
  const [code, setCode] = useState('');
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setProgress(undefined);
    try {
      setProgress(
        await createApi(undefined, () => {}).get<Progress>(
          `/v1/track/${encodeURIComponent(tenantId.trim())}/${encodeURIComponent(code.trim().toUpperCase())}`,
        ),
      );
    } catch (cause) {
      setError(cause);
    }
  };

  return (
    <form onSubmit={submit} className="card" aria-label={i18n.t('trackTitle')} noValidate>
      <h2>{i18n.t('trackTitle')}</h2>
      <div className="row">
        <label htmlFor={`${id}-code`} className="sr-only">
          {i18n.t('trackingCode')}
        </label>
        <input
          id={`${id}-code`}
          placeholder={i18n.t('trackingCode')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoCapitalize="characters"
        />
        <button type="submit">{i18n.t('search')}</button>
      </div>
      <ErrorText error={error} />
      {progress && (
        <div data-testid="track-result" role="status">
          <p>
            {i18n.t('status')}: <strong>{i18n.status(progress.status)}</strong>
          </p>
          <ol className="timeline">
            {progress.steps.map((step, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the log is append-only, so positions are stable
              <li key={index}>
                <time dateTime={step.at}>{i18n.date(step.at)}</time> {i18n.event(step.type)}
              </li>
            ))}
          </ol>
        </div>
      )}
    </form>
  );
}
