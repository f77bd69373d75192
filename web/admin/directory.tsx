// The directory's screens: appointment schedules, agents and people's accounts, API keys,
// webhooks and the audit log, one file each.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { agentsScreen } from './agents.js';
import { apiKeysScreen } from './api-keys.js';
import { auditScreen } from './audit.js';
import { schedulesScreen } from './schedules.js';
import { webhooksScreen } from './webhooks.js';

export function directoryScreens(deps: ApiDeps) {
  return new Hono()
    .route('/', schedulesScreen(deps))
    .route('/', agentsScreen(deps))
    .route('/', apiKeysScreen(deps))
    .route('/', webhooksScreen(deps))
    .route('/', auditScreen(deps));
}
