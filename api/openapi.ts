// The OpenAPI 3.1 document, built from the app itself: each route's `route(...)` description and
// roles, and the zod schemas its validators check requests with. A route cannot be left out, and
// the document cannot describe a field the code does not check.
import type { Hono } from 'hono';
import { z, type ZodType } from 'zod';
import type { DocumentedRoute, RouteDoc } from './access.js';
import { EVERY_ROUTE, PROBLEM_TYPES, type ProblemType } from '../services/problem-types.js';
import type { Validation } from './validate.js';
import { telephonyProtocolDoc } from './telephony-docs.js';

type Json = Record<string, unknown>;

const jsonSchema = (schema: ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

export interface DescribedRoute {
  method: string;
  /** As Hono writes it: /v1/callbacks/:id */
  path: string;
  doc: RouteDoc | undefined;
  validations: Validation[];
}

/** Each route of the app with what its handlers say of it; middleware for every path is left out. */
export function describedRoutes(app: Hono): DescribedRoute[] {
  const byKey = new Map<string, DescribedRoute>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    const entry = byKey.get(key) ?? { method: r.method, path: r.path, doc: undefined, validations: [] };
    const handler = r.handler as Partial<DocumentedRoute> & { validation?: Validation };
    if (handler.doc) entry.doc = handler.doc;
    if (handler.validation) entry.validations.push(handler.validation);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

export function openApiDocument(app: Hono, { version }: { version: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of describedRoutes(app)) {
    if (!route.doc) continue;
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, route.doc);
  }
  const telephony = telephonyProtocolDoc();
  Object.assign(paths, telephony.paths);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Callback service',
      version,
      description:
        'Contact-centre callbacks: request, schedule, route, dial and close, each record a durable workflow. ' +
        'Every request names an API key; each operation says which roles may call it (`x-roles`). Errors are RFC 9457 ' +
        'problem details (application/problem+json) whose `type` a client can branch on; every type is listed under ' +
        '`x-problem-types`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [...new Set(Object.keys(paths).map(tagOf))].map((name) => ({ name })),
    paths,
    webhooks: telephony.webhooks,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer cbk_…' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Problem: problemSchema },
    },
    'x-problem-types': Object.fromEntries(Object.entries(PROBLEM_TYPES).map(([type, [status, meaning]]) => [type, { status, meaning }])),
  };
}

function operation(route: DescribedRoute, doc: RouteDoc): Json {
  const parameters: Json[] = [];
  let requestBody: Json | undefined;
  for (const { target, schema } of route.validations) {
    if (target === 'json') {
      requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(schema, 'input') } } };
      continue;
    }
    const where = target === 'param' ? 'path' : target;
    const object = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property;
      parameters.push({ name, in: where, required: where === 'path' || (object.required ?? []).includes(name), description, schema: rest });
    }
  }
  for (const h of doc.headers ?? []) {
    parameters.push({ name: h.name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } });
  }

  const responses: Record<string, Json> = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    responses[status] = {
      description: r.description,
      ...(status === '204'
        ? {}
        : { content: { [r.contentType ?? 'application/json']: r.schema ? { schema: jsonSchema(r.schema, 'output') } : {} } }),
    };
  }
  const types: ProblemType[] = [
    ...(route.validations.length ? (['validation-error', 'bad-request'] as const) : []),
    ...(requestBody ? (['unsupported-media-type'] as const) : []),
    ...(doc.problems ?? []),
    ...EVERY_ROUTE,
  ];
  const byStatus = new Map<number, ProblemType[]>();
  for (const type of new Set(types)) {
    const status = PROBLEM_TYPES[type][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: list.map((t) => `\`${t}\`: ${PROBLEM_TYPES[t][1]}`).join('\n\n'),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }

  return {
    summary: doc.summary,
    description: [doc.description, doc.open ? 'Open to anyone: no key, no session.' : `Roles: ${doc.roles.join(', ')}.`]
      .filter(Boolean)
      .join('\n\n'),
    operationId: operationId(route),
    tags: [tagOf(route.path)],
    'x-roles': doc.roles,
    ...(doc.open ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

const tagOf = (path: string) => path.split('/')[2] ?? 'other';

const operationId = ({ method, path }: DescribedRoute) =>
  method.toLowerCase() +
  path
    .split('/')
    .slice(2)
    .map((part) => (part.startsWith(':') ? `By-${part.slice(1)}` : part))
    .join('-')
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))
    .replace(/^./, (ch) => ch.toUpperCase());

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', enum: Object.keys(PROBLEM_TYPES), description: 'What went wrong, stable: branch on this' },
    title: { type: 'string', description: 'A sentence for people' },
    status: { type: 'integer' },
    instance: { type: 'string', description: 'The path of the request' },
    errors: {
      type: 'array',
      description: 'For validation-error: each invalid field and why',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
};
