// /v1/parameters: the system parameters, each with its default and effect; changes apply at once.
import { Hono } from 'hono';
import { z } from 'zod';
import { getParameters, listQueues, setParameter } from '../db/configuration.js';
import { PARAMETERS, PARAMETER_NAMES, type ParameterName } from '../domain/parameters.js';
import { auditedChange } from './audited.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { parameter, parameterList } from './parameters.schemas.js';
import { validate } from './validate.js';
import { resizeGate } from '../workflows/queue-gate-client.js';

const describe = (values: Record<ParameterName, unknown>) =>
  PARAMETER_NAMES.map((name) => ({ name, value: values[name], default: PARAMETERS[name].default, effect: PARAMETERS[name].effect }));

const setBody = z.strictObject({ value: z.unknown().describe("The new value, of the parameter's type (see GET /v1/parameters)") });

const routes = {
  list: route({
    summary: 'The system parameters',
    description: 'Each with its value, its default and what it does.',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'Every parameter', schema: parameterList } },
  }),
  set: route({
    summary: 'Set a system parameter',
    description: "Validated by the parameter's own rule; applies at once, without a restart, and is audited.",
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The parameter as set', schema: parameter } },
    headers: AUDITED,
  }),
};

export function parametersRouter({ sql, temporal, taskQueue }: ApiDeps) {
  return new Hono()
    .get('/', routes.list, async (c) => c.json({ items: describe(await getParameters(sql)) }))

    .put(
      '/:name',
      routes.set,
      validate('param', z.object({ name: z.enum(PARAMETER_NAMES).describe("The parameter's name") })),
      validate('json', setBody),
      async (c) => {
        const actor = actorOf(c);
        const { name } = c.req.valid('param');
        const parsed = PARAMETERS[name].schema.safeParse(c.req.valid('json').value);
        if (!parsed.success) {
          throw problem('validation-error', 'invalid request body', {
            errors: parsed.error.issues.map((i) => ({ path: ['value', ...i.path].join('.'), message: i.message })),
          });
        }
        await auditedChange(
          sql,
          (tx) => setParameter(tx, name, parsed.data),
          () => ({ actor, action: 'parameter-change', detail: { name, value: parsed.data } }),
        );
        if (name === 'callbackBufferMax') {
          // Queues without a gate size of their own follow the parameter at once.
          for (const q of await listQueues(sql)) {
            if (q.gateSize === null) await resizeGate(temporal, taskQueue, q.name, parsed.data as number);
          }
        }
        return c.json(describe(await getParameters(sql)).find((p) => p.name === name));
      },
    );
}
