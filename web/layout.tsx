// The frame of every page: language, title, the local stylesheet and scripts (never inline), a
// language switch, and the content in a main landmark.
import type { Child } from 'hono/jsx';
import { t, type Language } from './i18n.js';

export interface LayoutProps {
  lang: Language;
  title: string;
  /** Script files under /callback/assets, loaded deferred. */
  scripts: readonly string[];
  /** The same page in the other language. */
  switchHref: string;
  children?: Child;
}

export function Layout({ lang, title, scripts, switchHref, children }: LayoutProps) {
  const other: Language = lang === 'sv' ? 'en' : 'sv';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <link rel="stylesheet" href="/callback/assets/page.css" />
        {scripts.map((src) => (
          <script src={`/callback/assets/${src}`} defer />
        ))}
      </head>
      <body>
        <header class="top">
          <h1>{title}</h1>
          <nav aria-label={t(lang, 'page.language')}>
            <a href={switchHref} hreflang={other} lang={other}>
              {t(lang, 'page.otherLanguage')}
            </a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

/** The current URL with `lang` set, for the switch. */
export function withLanguage(url: string, lang: Language): string {
  const u = new URL(url);
  u.searchParams.set('lang', lang);
  return `${u.pathname}${u.search}${u.hash}`;
}
