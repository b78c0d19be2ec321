import { type FormEvent, type ReactNode, useState } from 'react';
import { createApi } from '../api';
import { errorText } from '../errors';
import { useT } from '../i18n';
import { followPath, reportPath } from '../public';
import type { Session, SessionUser } from '../session';
import { RouterLink } from './PublicReport';
import { TrackForm } from './Track';

export function LoginPage(props: {
  expired: boolean;
  langButton: ReactNode;
  onSignedIn: (s: Session) => void;
  /** Cognito mode: the button sends the browser to the hosted UI instead of asking for a password. */
  onHostedSignIn?: () => Promise<void>;
}) {
  const i18n = useT();
  const { t } = i18n;
  const [tenantId, setTenantId] = useState('demo-city');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    if (props.onHostedSignIn) {
      // The browser leaves for the hosted UI; it stays busy unless that fails.
      return props.onHostedSignIn().catch((cause: unknown) => {
        setError(cause);
        setBusy(false);
      });
    }
    try {
      const answer = await createApi(undefined, () => {}).post<{
        token: string;
        expiresAt: string;
        user: SessionUser;
      }>('/v1/auth/login', { tenantId: tenantId.trim(), username: username.trim(), password });
      props.onSignedIn({
        tenantId: tenantId.trim(),
        token: answer.token,
        expiresAt: answer.expiresAt,
        user: answer.user,
      });
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form onSubmit={submit} aria-labelledby="login-title" className="card">
        <div className="row spread">
          <h1 id="login-title">{t('appName')}</h1>
          {props.langButton}
        </div>
        {props.expired && (
          <p className="notice" role="status">
            {t('sessionExpired')}
          </p>
        )}
        <label>
          {t('tenant')}
          <input name="tenant" value={tenantId} onChange={(e) => setTenantId(e.target.value)} required />
        </label>
        {!props.onHostedSignIn && (
          <>
            <label>
              {t('username')}
              <input
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
              />
            </label>
            <label>
              {t('password')}
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </label>
          </>
        )}
        {error !== undefined && (
          <p className="error" role="alert">
            {t('signInFailed')}: {errorText(error, i18n)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signingIn') : props.onHostedSignIn ? t('signInHosted') : t('signIn')}
        </button>
        <p className="muted small">{props.onHostedSignIn ? t('hostedHint') : t('demoHint')}</p>
      </form>
      <TrackForm tenantId={tenantId} />
      {tenantId.trim() && (
        <p className="public-links">
          <RouterLink className="public-link" to={reportPath(tenantId.trim())}>
            {t('publicReportLink')}
          </RouterLink>
          <RouterLink className="public-link" to={followPath(tenantId.trim())}>
            {t('publicFollowLink')}
          </RouterLink>
        </p>
      )}
    </main>
  );
}
