import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi } from './api';
import { type AuthMode, beginSignIn, refreshDelay, renewSession, signOutUrl } from './cognito';
import { AppContext } from './hooks';
import { I18nContext, type Lang, type MessageKey, storedLang, storeLang, translator } from './i18n';
import { AdminPage } from './pages/Admin';
import { AuthCallbackPage } from './pages/AuthCallback';
import { CaseDetailPage } from './pages/CaseDetail';
import { CasesPage } from './pages/Cases';
import { FiguresPage } from './pages/Figures';
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

const localMode: AuthMode = { kind: 'local' };

/** `auth`: Cognito's hosted UI when `/config.json` names it (deployed), else the local password login. */
export function App({ auth = localMode }: { auth?: AuthMode } = {}) {
  const [lang, setLang] = useState<Lang>(storedLang);
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const [expired, setExpired] = useState(false);
  const path = usePath();
  const i18n = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = i18n.t('appName');
  }, [lang, i18n]);

  const signOut = useCallback(
    (becauseExpired = false) => {
      clearSession();
      // Signing out on purpose ends the hosted UI's session too, which then sends the browser back.
      if (auth.kind === 'cognito' && !becauseExpired) {
        window.location.assign(signOutUrl(auth.config, window.location.origin));
        return;
      }
      setSession(undefined);
      setExpired(becauseExpired);
      navigate('/');
    },
    [auth],
  );

  // Cognito tokens are renewed shortly before they run out; a failed renewal ends the session.
  useEffect(() => {
    if (!session?.refreshToken || auth.kind !== 'cognito') return;
    let live = true;
    const timer = setTimeout(() => {
      renewSession(auth.config, session)
        .then((next) => {
          if (!live) return;
          saveSession(next);
          setSession(next);
        })
        .catch(() => live && signOut(true));
    }, refreshDelay(session.expiresAt));
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [session, signOut, auth]);

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
          {lang === 'zh' ? '跳到正文' : 'Skip to content'}
        </a>
        <header className="topbar">
          <strong className="brand">{i18n.t('appName')}</strong>
          <nav aria-label={lang === 'zh' ? '主导航' : 'Main'}>
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
          <span className="who" data-testid="who">
            {session.user.displayName} · {i18n.role(session.user.role)}
          </span>
          {langButton}
          <button type="button" className="link" onClick={() => signOut(false)}>
            {i18n.t('signOut')}
          </button>
        </header>
        <main id="main" tabIndex={-1}>
          {page}
        </main>
      </AppContext.Provider>
    </I18nContext.Provider>
  );
}
