// What the directory's screens (schedules, agents, API keys, webhooks, audit) share: the page
// frame with the screen's script and the directory's stylesheet, titled by its navigation entry.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Language } from '../i18n.js';
import { chooseLanguage } from '../i18n.js';
import { renderAdmin, SCREENS, type ScreenPath } from './layout.js';
import { COMMON, say, type Messages } from './messages.js';

export type Say = (key: string, values?: Record<string, string | number>) => string;

export function directoryPage(
  c: Context,
  screen: ScreenPath,
  script: string,
  messages: Messages,
  body: (t: Say, lang: Language) => Child,
  singleSignOn: boolean,
  data: Record<string, string> = {},
) {
  const key = SCREENS.find((s) => s.path === screen)!.key;
  return renderAdmin(
    c,
    { screen, title: say(chooseLanguage(c), [COMMON], key), scripts: [script], messages: [messages], data },
    (t, lang) => (
      <>
        <link rel="stylesheet" href="/callback/assets/admin-directory.css" />
        {body(t, lang)}
      </>
    ),
    singleSignOn,
  );
}
