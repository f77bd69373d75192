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
    effect: 'How many records may be in a queue at once (offered, dialled, in a call, in wrap-up) when the queue sets no gate size of its own; due records beyond it wait for room.',
  },
  callbackDuplicatePolicy: {
    schema: z.enum(DUPLICATE_POLICIES),
    default: 'avoid' as DuplicatePolicy,
    effect: 'The duplicate policy a new organisation area gets when it names none: allow, avoid (one active record per phone number in the area), or avoid-same-task-type.',
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
