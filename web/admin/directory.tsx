// UNFINISHED: a placeholder until this screen is built.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { chooseLanguage } from '../i18n.js';
import { renderAdmin } from './layout.js';
import { COMMON, say } from './messages.js';

export function directoryScreens(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono()
    .get('/schedules', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/schedules', title: say(chooseLanguage(c), [COMMON], 'nav.schedules'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    )
    .get('/agents', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/agents', title: say(chooseLanguage(c), [COMMON], 'nav.agents'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    )
    .get('/api-keys', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/api-keys', title: say(chooseLanguage(c), [COMMON], 'nav.apiKeys'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    )
    .get('/webhooks', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/webhooks', title: say(chooseLanguage(c), [COMMON], 'nav.webhooks'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    )
    .get('/audit', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/audit', title: say(chooseLanguage(c), [COMMON], 'nav.audit'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    );
}
