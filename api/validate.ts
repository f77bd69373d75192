// zod validation at the edge: any input that does not parse is a 400 problem naming each field.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z, type ZodType } from 'zod';
import { problem } from './problem.js';

export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  Object.assign(
    zValidator(target, schema, (result) => {
      if (result.success) return;
      throw problem(400, 'validation-error', `invalid ${target === 'json' ? 'request body' : target}`, {
        errors: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }),
    // The same schema describes the route in /openapi.json.
    { validation: { target, schema } as Validation },
  );

export interface Validation {
  target: keyof ValidationTargets;
  schema: ZodType;
}

/**
 * An instant with its UTC offset, within years 1970 to 9999 once in UTC: PostgreSQL rejects what
 * lies outside, and a time that cannot be stored must be a 400, never a record that cannot be saved.
 */
export const instant = z.iso.datetime({ offset: true }).refine((value) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1970 && year <= 9999;
}, 'must lie between the years 1970 and 9999');
