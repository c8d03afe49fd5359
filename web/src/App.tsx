/**
 * The close dashboard: sign-in, then one view per hash route (router.ts). Who is signed in is known
 * before any view is drawn, so each view offers only the acts the user's role may perform.
 */
import { Button, ConfigProvider, Layout, Menu, Segmented, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, request, session } from './api';
import { FlashMessage, FlashProvider, UNAUTHENTICATED, useFlash } from './flash';
import { useI18n, type Language } from './i18n';
import { MeContext, type Me } from './me';
import { useHash } from './router';
import { BoardView } from './views/BoardView';
import { CloseView } from './views/CloseView';
import { ClosesView } from './views/ClosesView';
import { LedgerView } from './views/LedgerView';
import { MonthEndView } from './views/MonthEndView';
import { SignIn } from './views/SignIn';

interface Route {
  pattern: RegExp;
  nav: string | null;
  render: (params: string[]) => ReactNode;
}

// Each view gets a key from its parameters, so moving from one close to another starts it afresh.
const ROUTES: Route[] = [
  { pattern: /^#\/closes\/([^/]+)$/, nav: 'nav-closes', render: ([id]) => <CloseView key={id} id={id} /> },
  { pattern: /^#\/month-end(?:\/([^/]+))?$/, nav: 'nav-month-end', render: ([id]) => <MonthEndView key={id ?? ''} runId={id} /> },
  { pattern: /^#\/closes$/, nav: 'nav-closes', render: () => <ClosesView /> },
  { pattern: /^#\/board$/, nav: 'nav-board', render: () => <BoardView /> },
  {
    pattern: /^#\/ledgers\/([^/]+)(?:\/([^/]+))?$/,
    nav: null,
    render: ([code, period]) => <LedgerView key={`${code}/${period ?? ''}`} code={code} period={period} />,
  },
];

function matchRoute(hash: string): { route: Route; params: string[] } | null {
  for (const route of ROUTES) {
    const m = route.pattern.exec(hash);
    if (m) return { route, params: m.slice(1).map((p) => (p === undefined ? (undefined as unknown as string) : decodeURIComponent(p))) };
  }
  return null;
}

const NAV = [
  { id: 'nav-closes', href: '#/closes', key: 'nav.closes' },
  { id: 'nav-board', href: '#/board', key: 'nav.board' },
  { id: 'nav-month-end', href: '#/month-end', key: 'nav.monthEnd' },
];

function Shell() {
  const { t, lang, setLang } = useI18n();
  const flash = useFlash();
  const hash = useHash();
  const [signedIn, setSignedIn] = useState(session.signedIn());
  const [me, setMe] = useState<Me | null>(null);

  const forget = useCallback(() => {
    session.signOut();
    setMe(null);
    setSignedIn(false);
  }, []);

  useEffect(() => {
    window.addEventListener(UNAUTHENTICATED, forget);
    return () => window.removeEventListener(UNAUTHENTICATED, forget);
  }, [forget]);

  useEffect(() => {
    if (!signedIn || me) return;
    api.get<Me>('/api/v1/me').then(setMe, flash.error);
  }, [signedIn, me, flash]);

  // A new view starts without the last one's message.
  useEffect(() => flash.clear(), [hash, flash]);

  async function signOut() {
    // A password session ends on the server too, not only in this tab.
    if (session.csrf()) await request('DELETE', '/api/v1/session').catch(() => undefined);
    forget();
    flash.clear();
    location.hash = '#/closes';
  }

  const found = matchRoute(hash);
  useEffect(() => {
    if (signedIn && me && !found) location.replace('#/closes');
  }, [signedIn, me, found]);

  let content: ReactNode;
  if (!signedIn) content = <SignIn onSignedIn={() => setSignedIn(true)} />;
  else if (!me || !found) content = <Spin className="loading" />;
  else content = <MeContext.Provider value={me}>{found.route.render(found.params)}</MeContext.Provider>;

  return (
    <Layout className="app">
      <Layout.Header className="topbar">
        <h1>{t('app.title')}</h1>
        {signedIn && (
          <Menu
            id="nav"
            className="nav"
            mode="horizontal"
            theme="dark"
            selectedKeys={found?.route.nav ? [found.route.nav] : []}
            items={NAV.map((n) => ({
              key: n.id,
              label: (
                <a id={n.id} href={n.href} className={found?.route.nav === n.id ? 'active' : undefined}>
                  {t(n.key)}
                </a>
              ),
            }))}
          />
        )}
        <div className="topbar-end">
          <Segmented
            data-testid="language"
            aria-label={t('app.language')}
            value={lang}
            onChange={(value) => setLang(value as Language)}
            options={[
              { value: 'zh', label: <span data-lang="zh">中文</span> },
              { value: 'en', label: <span data-lang="en">English</span> },
            ]}
          />
          {signedIn && (
            <Button id="sign-out" ghost onClick={() => void signOut()}>
              {t('auth.signOut')}
            </Button>
          )}
        </div>
      </Layout.Header>
      <FlashMessage />
      <Layout.Content className="main">{content}</Layout.Content>
    </Layout>
  );
}

/** Ant Design speaks the reader's language too (its pickers, pagers and empty states). */
export function App() {
  const { lang } = useI18n();
  return (
    // No space put between two Chinese characters of a button (登录, not 登 录): its text reads as written.
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1d4ed8', borderRadius: 4 } }}>
      <FlashProvider>
        <Shell />
      </FlashProvider>
    </ConfigProvider>
  );
}
