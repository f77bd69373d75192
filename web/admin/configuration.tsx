// The configuration screens: organisation areas, queues, treatments and system parameters, one
// file each; this mounts them under /admin.
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps.js';
import { areasScreen } from './areas.js';
import { parametersScreen } from './parameters.js';
import { queuesScreen } from './queues.js';
import { treatmentsScreen } from './treatments.js';

export function configurationScreens(deps: ApiDeps) {
  const sso = deps.signOn !== undefined;
  return new Hono()
    .route('/', areasScreen(sso))
    .route('/', queuesScreen(sso))
    .route('/', treatmentsScreen(sso))
    .route('/', parametersScreen(sso));
}
