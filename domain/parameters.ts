// System parameters: each with its documented default and effect, validated by its own schema.
import { z } from 'zod';

export const DUPLICATE_POLICIES = ['allow', 'avoid', 'avoid-same-task-type'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

export const PARAMETERS = {
  enableCallbackService: {
    schema: z.boolean(),
    default: true,
    effect: 'When false, every request for a callback is refused (409 callback-service-disabled); records already made go on.',
  },
  callbackBufferMax: {
    schema: z.int().min(1).max(10_000),
    default: 10,
    effect:
      'How many records may be in a queue at once (offered, dialled, in a call, in wrap-up) when the queue sets no gate size of its own; due records beyond it wait for room.',
  },
  callbackDuplicatePolicy: {
    schema: z.enum(DUPLICATE_POLICIES),
    default: 'avoid' as DuplicatePolicy,
    effect:
      'The duplicate policy a new organisation area gets when it names none: allow, avoid (one active record per phone number in the area), or avoid-same-task-type.',
  },
  waitingListFirst: {
    schema: z.boolean(),
    default: true,
    effect:
      "Routing order for callbacks addressed to an agent: true, an agent taking the next record gets their own waiting list's records before the team queue's; false, one line for all by priority and place in line.",
  },
  defaultValidityHours: {
    schema: z.int().min(1).max(8760).nullable(),
    default: null as number | null,
    effect:
      'A record requested without validUntil is valid this many hours after its calling time (then it closes as expired, "End contact - Automatic"); null: until it is called. Applies to records requested after the change.',
  },
  offerTimeoutSeconds: {
    schema: z.int().min(1).max(86_400),
    default: 120,
    effect:
      "How long an offer waits for an agent before it goes to another (a waiting-list record goes to the whole queue; a queue's offer counts as lost during routing and follows its treatment), for queues that set no offer timeout of their own. Read at each offer.",
  },
  lastAgentRetentionDays: {
    schema: z.int().min(1).max(3650).nullable(),
    default: null as number | null,
    effect:
      "How long a closed record keeps the name of its last agent (latestAgent); the worker's sweep clears it after this many days. null: kept.",
  },
  agentRoutingOrder: {
    schema: z.enum(['longest-idle', 'queue-priority']),
    default: 'longest-idle' as 'longest-idle' | 'queue-priority',
    effect:
      "Which available agent a record is reserved for: longest-idle, the agent available the longest; queue-priority, the agent with the best priority for the record's queue (1 first; agents without one last), the longest idle among equals.",
  },
  afterWrapUp: {
    schema: z.enum(['available', 'away']),
    default: 'available' as 'available' | 'away',
    effect:
      "An agent's state once their feedback closes the wrap-up: available (routed the next record at once) or away (reason after-call).",
  },
  agentOfflineAfterSeconds: {
    schema: z.int().min(5).max(86_400),
    default: 90,
    effect:
      'An available or away agent whose desk has not listened (GET /v1/agents/me/events) for this long goes offline; an agent on a call keeps their state.',
  },
} as const;

export type ParameterName = keyof typeof PARAMETERS;
export type Parameters = { [K in ParameterName]: z.infer<(typeof PARAMETERS)[K]['schema']> };

export const PARAMETER_NAMES = Object.keys(PARAMETERS) as ParameterName[];

/** Stored values over the defaults; a stored value that no longer parses falls back to its default. */
export function resolveParameters(stored: { name: string; value: unknown }[]): Parameters {
  const values: Record<string, unknown> = Object.fromEntries(PARAMETER_NAMES.map((n) => [n, PARAMETERS[n].default]));
  for (const { name, value } of stored) {
    const spec = PARAMETERS[name as ParameterName];
    if (!spec) continue;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) values[name] = parsed.data;
  }
  return values as Parameters;
}
