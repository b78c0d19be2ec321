import { useEffect, useRef, useState } from 'react';
import { createApi } from '../api';
import { type CognitoConfig, completeSignIn, sessionFromTokens } from '../cognito';
import { errorText } from '../errors';
import { useT } from '../i18n';
import type { Session, SessionUser } from '../session';

/** `/auth/callback`: the hosted UI sends the browser back here with a code to exchange. */
export function AuthCallbackPage(props: {
  config: CognitoConfig;
  onSignedIn: (s: Session) => void;
  onRetry: () => void;
}) {
  const i18n = useT();
  const { t } = i18n;
  const [error, setError] = useState<unknown>();
  // The code and verifier are single-use: StrictMode's second effect run must not spend them again.
  const started = useRef(false);
  const { config, onSignedIn } = props;

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      const tokens = await completeSignIn(config, window.location.origin, window.location.search);
      const user = await createApi(tokens.idToken, () => {}).get<SessionUser>('/v1/me');
      onSignedIn(sessionFromTokens(tokens, user));
    })().catch(setError);
  }, [config, onSignedIn]);

  return (
    <main className="login" id="main">
      <div className="card">
        <h1>{t('appName')}</h1>
        {error === undefined ? (
          <p role="status">{t('completingSignIn')}</p>
        ) : (
          <>
            <p className="error" role="alert">
              {t('callbackFailed')}: {errorText(error, i18n)}
            </p>
            <button type="button" className="primary" onClick={props.onRetry}>
              {t('tryAgain')}
            </button>
          </>
        )}
      </div>
    </main>
  );
}
