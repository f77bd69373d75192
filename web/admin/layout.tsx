// The frame of every admin screen: the shared stylesheet and scripts (never inline), the
// navigation, who is signed in, the sign-in form shown instead of the screen to someone who is
// not, the two live regions where every action's answer is said in words, and the confirmation
// dialog. The screen's own markup is the children; its texts reach its script as data.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { chooseLanguage, type Language } from '../i18n.js';
import { withLanguage } from '../layout.js';
import { COMMON, merged, say, type Messages } from './messages.js';

/** Who may use a screen: administrators, and supervisors where they only watch and read. */
const WATCHING = 'admin supervisor';

/** The screens, in the navigation's order: path under /admin, and the text naming it. */
export const SCREENS = [
  { path: '/admin', key: 'nav.records', roles: WATCHING },
  { path: '/admin/live', key: 'nav.live', roles: WATCHING },
  { path: '/admin/stats', key: 'nav.stats', roles: WATCHING },
  { path: '/admin/areas', key: 'nav.areas', roles: 'admin' },
  { path: '/admin/queues', key: 'nav.queues', roles: 'admin' },
  { path: '/admin/treatments', key: 'nav.treatments', roles: 'admin' },
  { path: '/admin/schedules', key: 'nav.schedules', roles: 'admin' },
  { path: '/admin/parameters', key: 'nav.parameters', roles: 'admin' },
  { path: '/admin/agents', key: 'nav.agents', roles: 'admin' },
  { path: '/admin/api-keys', key: 'nav.apiKeys', roles: 'admin' },
  { path: '/admin/webhooks', key: 'nav.webhooks', roles: 'admin' },
  { path: '/admin/audit', key: 'nav.audit', roles: 'admin' },
  { path: '/admin/import', key: 'nav.import', roles: 'admin' },
] as const;
export type ScreenPath = (typeof SCREENS)[number]['path'];

export interface AdminPage {
  /** The navigation entry this screen belongs to (marked as the current page). */
  screen: ScreenPath;
  /** The page's heading and title. */
  title: string;
  /** The screen's scripts under /callback/assets, after admin.js. */
  scripts: readonly string[];
  /** The screen's texts, for its script; the shared ones come along. */
  messages: readonly Messages[];
  /** Values the screen's script reads from #admin-root's data-* (e.g. a record's id). */
  data?: Record<string, string>;
}

interface LayoutProps extends AdminPage {
  lang: Language;
  switchHref: string;
  singleSignOn: boolean;
  returnTo: string;
  children?: Child;
}

function AdminLayout({ lang, switchHref, singleSignOn, returnTo, screen, title, scripts, messages, data = {}, children }: LayoutProps) {
  const all = [...messages, COMMON];
  const t = (key: string) => say(lang, all, key);
  const other: Language = lang === 'sv' ? 'en' : 'sv';
  const dataAttributes = Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]));
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('admin.title')}`}</title>
        <link rel="stylesheet" href="/callback/assets/page.css" />
        <link rel="stylesheet" href="/callback/assets/admin.css" />
        {['admin.js', ...scripts].map((src) => (
          <script src={`/callback/assets/${src}`} defer />
        ))}
      </head>
      <body class="admin">
        <header class="top">
          <p class="brand">{t('admin.title')}</p>
          <div class="who" id="who-bar" hidden>
            <span id="who"></span>
            <button type="button" id="sign-out">
              {t('who.signOut')}
            </button>
          </div>
          <nav aria-label={t('page.language')}>
            <a href={switchHref} hreflang={other} lang={other}>
              {t('page.otherLanguage')}
            </a>
          </nav>
        </header>
        <div class="admin-frame">
          <nav class="admin-nav" aria-label={t('admin.nav')}>
            <ul>
              {SCREENS.map((s) => (
                <li data-roles={s.roles}>
                  <a href={s.path} aria-current={s.path === screen ? 'page' : undefined}>
                    {t(s.key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main
            id="admin-root"
            data-lang={lang}
            data-roles={SCREENS.find((s) => s.path === screen)?.roles}
            data-strings={JSON.stringify(merged(lang, all))}
            {...dataAttributes}
          >
            <h1>{title}</h1>
            <p id="admin-problem" role="alert" class="refusal" hidden></p>
            <p id="admin-answer" role="status" class="answer" hidden></p>
            <p id="admin-loading">{t('loading')}</p>
            <section id="sign-in" aria-labelledby="sign-in-heading" hidden>
              <h2 id="sign-in-heading">{t('signIn.heading')}</h2>
              <p>{t('signIn.intro')}</p>
              <form id="sign-in-form" novalidate>
                <label for="sign-in-user">{t('signIn.user')}</label>
                <input id="sign-in-user" name="id" autocomplete="username" required />
                <label for="sign-in-password">{t('signIn.password')}</label>
                <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required />
                <button type="submit">{t('signIn.submit')}</button>
              </form>
              {singleSignOn && (
                <p>
                  <a href={`/v1/session/oidc/start?returnTo=${encodeURIComponent(returnTo)}`}>{t('signIn.sso')}</a>
                </p>
              )}
            </section>
            <div id="screen" hidden>
              {children}
            </div>
          </main>
        </div>
        <dialog id="confirm" aria-labelledby="confirm-heading">
          <form method="dialog">
            <h2 id="confirm-heading">{t('confirm.heading')}</h2>
            <p id="confirm-message"></p>
            <div class="actions">
              <button type="submit" value="no" id="confirm-no" autofocus>
                {t('confirm.no')}
              </button>
              <button type="submit" value="yes" id="confirm-yes" class="danger">
                {t('confirm.yes')}
              </button>
            </div>
          </form>
        </dialog>
      </body>
    </html>
  );
}

/**
 * An admin screen as the answer to `c`: the page in the visitor's language, never cached (it
 * shows customers' data once the script has loaded it). The server renders the frame and the
 * screen's markup only; every datum comes from /v1 with the session, so the console can do
 * exactly what the API lets the signed-in person do.
 */
export function renderAdmin(
  c: Context,
  page: AdminPage,
  body: (t: (key: string, values?: Record<string, string | number>) => string, lang: Language) => Child,
  singleSignOn: boolean,
) {
  const lang = chooseLanguage(c);
  const t = (key: string, values?: Record<string, string | number>) => say(lang, [...page.messages, COMMON], key, values);
  const url = new URL(c.req.url);
  const html = (
    <AdminLayout
      {...page}
      lang={lang}
      switchHref={withLanguage(c.req.url, lang === 'sv' ? 'en' : 'sv')}
      singleSignOn={singleSignOn}
      returnTo={`${url.pathname}${url.search}`}
    >
      {body(t, lang)}
    </AdminLayout>
  );
  c.header('cache-control', 'no-store');
  return c.html(`<!doctype html>${html}`);
}
