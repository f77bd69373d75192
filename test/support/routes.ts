// The app's routes as declared, read without a database or Temporal behind them.
import { createApp } from '../../api/app.js';
import { describedRoutes, type DescribedRoute } from '../../api/openapi.js';

export function declaredRoutes(): DescribedRoute[] {
  const unused = {} as never;
  return describedRoutes(
    createApp({
      sql: unused,
      temporal: unused,
      taskQueue: '',
      defaultCountry: 'SE',
      traffic: unused,
      tokens: unused,
      webhookTargets: unused,
      waits: unused,
      retryAfterSeconds: 5,
    }),
  );
}
