import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi } from './api';
import {
  type AuthMode,
  beginSignIn,
  isTransientFailure,
  needsRefresh,
  refreshDelay,
  renewSessionOnce,
  revokeRefreshToken,
  signOutUrl,
} from './cognito';
import { NoticesControl } from './components/Notices';
import { errorText } from './errors';
import { AppContext } from './hooks';
import { I18nContext, type Lang, type MessageKey, storedLang, storeLang, translator } from './i18n';
import { hasNoticeBox } from './notices';
import { AuthCallbackPage } from './pages/AuthCallback';
import { CaseDetailPage } from './pages/CaseDetail';
import { CasesPage } from './pages/Cases';
import { FollowPage } from './pages/Follow';
import { LoginPage } from './pages/Login';
import { MapPage } from './pages/MapPage';
import { PublicReportPage, PublicShell } from './pages/PublicReport';
import { ReportPage } from './pages/Report';
import { WhistleDetailPage, WhistlesPage } from './pages/Whistles';
import { match, navigate, usePath } from './router';
import { clearSession, loadSession, type NavKey, navFor, type Session, saveSession } from './session';

const navLabels: Record<NavKey, MessageKey> = {
  cases: 'navCases',
  report: 'navReport',
  map: 'navMap',
  whistles: 'navWhistles',
  admin: 'navAdmin',
  figures: 'navFigures',
};

// Administration and figures are for a few roles: loaded when first opened, not with every sign-in.
const AdminPage = lazy(() => import('./pages/Admin').then((module) => ({ default: module.AdminPage })));
const FiguresPage = lazy(() => import('./pages/Figures').then((module) => ({ default: module.FiguresPage })));

const localMode: AuthMode = { kind: 'local' };

/** After a renewal failed for want of network, try again this much later while the token lasts. */
export const renewalRetryPause = 30_000;

/**
 * Renewing the Cognito ID token: `running` blocks the console (at start, or when the token has run
 * out), `failed` shows why with a retry; a background renewal shortly before expiry stays `idle`.
 */
type Renewal = { state: 'idle' } | { state: 'running' } | { state: 'failed'; error: unknown };

/** The stored session this mode can use: a local session never outlives its token. */
const startSession = (auth: AuthMode): Session | undefined => {
  const stored = loadSession();
  if (stored && auth.kind !== 'cognito' && new Date(stored.expiresAt).getTime() <= Date.now()) {
    clearSession();
    return undefined;
  }
  return stored;
};

/** `auth`: Cognito's hosted UI when `/config.json` names it (deployed), else the local password login. */
export function App({ auth = localMode }: { auth?: AuthMode } = {}) {
  const [lang, setLang] = useState<Lang>(storedLang);
  const [session, setSession] = useState<Session | undefined>(() => startSession(auth));
  // Reopened after the ID token ran out (or is about to): renew it before showing the console.
  const [renewal, setRenewal] = useState<Renewal>(() =>
    auth.kind === 'cognito' && session && needsRefresh(session) ? { state: 'running' } : { state: 'idle' },
  );
  const [expired, setExpired] = useState(false);
  const path = usePath();
  const i18n = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = i18n.t('appName');
  }, [lang, i18n]);

  const signOut = useCallback(
    (becauseExpired = false) => {
      const refreshToken = loadSession()?.refreshToken;
      clearSession();
      // Signing out on purpose revokes the refresh token (a copy of it is worthless from now on) and
      // ends the hosted UI's session too, which then sends the browser back.
      if (auth.kind === 'cognito' && !becauseExpired) {
        if (refreshToken) void revokeRefreshToken(auth.config, refreshToken);
        window.location.assign(signOutUrl(auth.config, window.location.origin));
        return;
      }
      setSession(undefined);
      setExpired(becauseExpired);
      navigate('/');
    },
    [auth],
  );

  // Cognito tokens are renewed shortly before they run out (in the background), or at once when the
  // console starts with a spent token (the console waits). One request at a time (`renewSessionOnce`).
  // A refused refresh token ends the session; a network failure is retried, and shown once the
  // console cannot go on without a new token — never a silent sign-out.
  const renewalState = renewal.state;
  useEffect(() => {
    if (auth.kind !== 'cognito' || !session?.refreshToken || renewalState === 'failed') return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const attempt = () => {
      renewSessionOnce(auth.config, session)
        .then((next) => {
          if (!live) return;
          saveSession(next);
          setSession(next);
          setRenewal({ state: 'idle' });
        })
        .catch((error: unknown) => {
          if (!live) return;
          if (!isTransientFailure(error)) {
            setRenewal({ state: 'idle' });
            signOut(true);
            return;
          }
          const left = new Date(session.expiresAt).getTime() - Date.now();
          if (renewalState === 'running' || left <= renewalRetryPause) setRenewal({ state: 'failed', error });
          else timer = setTimeout(attempt, renewalRetryPause);
        });
    };
    timer = setTimeout(attempt, renewalState === 'running' ? 0 : refreshDelay(session.expiresAt));
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [session, signOut, auth, renewalState]);

  // Local tokens are not refreshed: when one runs out, the console asks to sign in again.
  useEffect(() => {
    if (!session || (session.refreshToken && auth.kind === 'cognito')) return;
    const left = new Date(session.expiresAt).getTime() - Date.now();
    const timer = setTimeout(() => signOut(true), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, signOut, auth]);

  const signedIn = useCallback((next: Session) => {
    saveSession(next);
    setExpired(false);
    setSession(next);
    navigate('/');
  }, []);
  const hostedSignIn = useCallback(async () => {
    if (auth.kind !== 'cognito') return;
    window.location.assign(await beginSignIn(auth.config, window.location.origin));
  }, [auth]);
  // Gives up a session that cannot be renewed now and starts a fresh sign-in.
  const startOver = useCallback(async () => {
    clearSession();
    setSession(undefined);
    setRenewal({ state: 'idle' });
    await hostedSignIn();
  }, [hostedSignIn]);

  // A new page moves focus to its content, so that keyboard and screen-reader users start there.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path === firstPath.current) return;
    firstPath.current = path;
    document.getElementById('main')?.focus();
  }, [path]);

  const api = useMemo(() => createApi(session?.token, () => signOut(true)), [session, signOut]);
  const toggleLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    storeLang(next);
    setLang(next);
  };
  const langButton = (
    <button type="button" className="link" onClick={toggleLang} lang={lang === 'zh' ? 'en' : 'zh'}>
      {i18n.t('switchLanguage')}
    </button>
  );

  // Public reporting: the city's own pages for anyone, signed in or not, without the console's navigation.
  const publicReport = match('/report/:tenant', path);
  const follow = match('/follow/:tenant/:code', path) ?? match('/follow/:tenant', path);
  if (publicReport || follow) {
    return (
      <I18nContext.Provider value={i18n}>
        <PublicShell langButton={langButton}>
          {publicReport ? (
            <PublicReportPage tenantId={publicReport.tenant as string} />
          ) : (
            <FollowPage tenantId={follow?.tenant as string} code={follow?.code} />
          )}
        </PublicShell>
      </I18nContext.Provider>
    );
  }

  if (auth.kind === 'cognito' && path === auth.config.redirectPath) {
    return (
      <I18nContext.Provider value={i18n}>
        <AuthCallbackPage config={auth.config} onSignedIn={signedIn} onRetry={() => void hostedSignIn()} />
      </I18nContext.Provider>
    );
  }

  if (session && renewal.state !== 'idle') {
    return (
      <I18nContext.Provider value={i18n}>
        <main className="login" id="main">
          <div className="card">
            <h1>{i18n.t('appName')}</h1>
            {renewal.state === 'running' ? (
              <p role="status" aria-busy="true">
                {i18n.t('restoringSession')}
              </p>
            ) : (
              <>
                <div className="error" role="alert">
                  <p>{i18n.t('restoreFailed')}</p>
                  <p className="muted">{errorText(renewal.error, i18n)}</p>
                </div>
                <div className="row">
                  <button type="button" className="primary" onClick={() => setRenewal({ state: 'running' })}>
                    {i18n.t('retry')}
                  </button>
                  <button type="button" onClick={() => void startOver()}>
                    {i18n.t('signInAgain')}
                  </button>
                </div>
              </>
            )}
          </div>
        </main>
      </I18nContext.Provider>
    );
  }

  if (!session) {
    return (
      <I18nContext.Provider value={i18n}>
        <LoginPage
          expired={expired}
          langButton={langButton}
          onSignedIn={signedIn}
          {...(auth.kind === 'cognito' ? { onHostedSignIn: hostedSignIn } : {})}
        />
      </I18nContext.Provider>
    );
  }

  const nav = navFor(session.user.role);
  const section = (path.split('/')[1] || nav[0]) as NavKey;
  const caseId = match('/cases/:caseId', path)?.caseId;
  const whistleId = match('/whistles/:whistleId', path)?.whistleId;
  const page = (() => {
    if (!nav.includes(section)) return <p className="error">{i18n.t('notFound')}</p>;
    if (caseId) return <CaseDetailPage caseId={caseId} />;
    if (whistleId) return <WhistleDetailPage whistleId={whistleId} />;
    switch (section) {
      case 'cases':
        return <CasesPage />;
      case 'report':
        return <ReportPage />;
      case 'map':
        return <MapPage />;
      case 'whistles':
        return <WhistlesPage />;
      case 'admin':
        return <AdminPage />;
      case 'figures':
        return <FiguresPage />;
    }
  })();

  return (
    <I18nContext.Provider value={i18n}>
      <AppContext.Provider value={{ session, api, signOut: () => signOut(false) }}>
        <a className="skip" href="#main">
          {i18n.t('skipToContent')}
        </a>
        <header className="topbar">
          <strong className="brand">{i18n.t('appName')}</strong>
          <nav aria-label={i18n.t('mainNav')}>
            {nav.map((key) => (
              <a
                key={key}
                href={`/${key}`}
                aria-current={section === key ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(`/${key}`);
                }}
              >
                {i18n.t(navLabels[key])}
              </a>
            ))}
          </nav>
          {/* One block: when the bar is too narrow it moves to a new row together (never "Sign out" alone). */}
          <div className="topbar-account">
            <span className="who" data-testid="who">
              {session.user.displayName} · {i18n.role(session.user.role)}
            </span>
            {hasNoticeBox(session.user.role) && (
              <NoticesControl key={`${session.tenantId}:${session.user.id}`} />
            )}
            {langButton}
            <button type="button" className="link" onClick={() => signOut(false)}>
              {i18n.t('signOut')}
            </button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <Suspense
            fallback={
              <p className="muted" aria-busy="true">
                {i18n.t('loading')}
              </p>
            }
          >
            {page}
          </Suspense>
        </main>
      </AppContext.Provider>
    </I18nContext.Provider>
  );
}
