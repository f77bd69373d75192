// zod validation at the edge: any input that does not parse is a 400 problem naming each field.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { problem } from './problem.js';

export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (result.success) return;
    throw problem(400, 'validation-error', `invalid ${target === 'json' ? 'request body' : target}`, {
      errors: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  });
