import type { ReactNode } from 'react';
import { errorText } from '../errors';
import type { Loadable } from '../hooks';
import { useT } from '../i18n';

/** Loading, error (with retry) and empty states, the same everywhere. */
export function Show<T>(props: {
  data: Loadable<T>;
  retry?: () => void;
  isEmpty?: (value: T) => boolean;
  children: (value: T) => ReactNode;
}) {
  const i18n = useT();
  const { t } = i18n;
  const { data } = props;
  if (data.state === 'loading')
    return (
      <p className="muted" aria-busy="true">
        {t('loading')}
      </p>
    );
  if (data.state === 'error')
    return (
      <div className="error" role="alert">
        <p>
          {t('error')}: {errorText(data.error, i18n)}
        </p>
        {props.retry && (
          <button type="button" onClick={props.retry}>
            {t('retry')}
          </button>
        )}
      </div>
    );
  if (props.isEmpty?.(data.value)) return <p className="muted">{t('empty')}</p>;
  return <>{props.children(data.value)}</>;
}

export function ErrorText({ error }: { error: unknown }) {
  const i18n = useT();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorText(error, i18n)}
    </p>
  );
}
