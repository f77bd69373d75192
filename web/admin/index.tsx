// The admin console under /admin: server-rendered screens whose scripts work against the API
// (/v1) with the session cookie, like the agent desk; no API of its own. Each file here owns
// screens: records, configuration, the directory (schedules, agents, keys, webhooks, audit),
// the live view, statistics and import.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { pageHeaders } from '../security.js';
import { configurationScreens } from './configuration.js';
import { directoryScreens } from './directory.js';
import { importScreen } from './import.js';
import { liveScreen } from './live.js';
import { recordScreens } from './records.js';
import { statsScreen } from './stats.js';

export function adminRouter(deps: ApiDeps) {
  return new Hono()
    .use((c, next) => pageHeaders(deps.traffic.corsOrigins ?? [])(c, next))
    .route('/', recordScreens(deps))
    .route('/', liveScreen(deps))
    .route('/', statsScreen(deps))
    .route('/', configurationScreens(deps))
    .route('/', directoryScreens(deps))
    .route('/', importScreen(deps));
}
