// UNFINISHED: a placeholder until this screen is built.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { chooseLanguage } from '../i18n.js';
import { renderAdmin } from './layout.js';
import { COMMON, say } from './messages.js';

export function configurationScreens(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono()
    .get('/areas', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/areas', title: say(chooseLanguage(c), [COMMON], 'nav.areas'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    )
    .get('/queues', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/queues', title: say(chooseLanguage(c), [COMMON], 'nav.queues'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    )
    .get('/treatments', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/treatments', title: say(chooseLanguage(c), [COMMON], 'nav.treatments'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    )
    .get('/parameters', (c) =>
      renderAdmin(
        c,
        { screen: '/admin/parameters', title: say(chooseLanguage(c), [COMMON], 'nav.parameters'), scripts: [], messages: [] },
        () => <p>Not built yet.</p>,
        sso,
      ),
    );
}
