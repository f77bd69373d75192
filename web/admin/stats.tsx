// UNFINISHED: a placeholder until this screen is built.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { chooseLanguage } from '../i18n.js';
import { renderAdmin } from './layout.js';
import { COMMON, say } from './messages.js';

export function statsScreen(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono().get('/stats', (c) =>
    renderAdmin(
      c,
      { screen: '/admin/stats', title: say(chooseLanguage(c), [COMMON], 'nav.stats'), scripts: [], messages: [] },
      () => <p>Not built yet.</p>,
      sso,
    ),
  );
}
