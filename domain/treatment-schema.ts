// A treatment set's shape as a zod schema: its types are inferred from it, and the API answers with
// it. Workflows import only the types (through domain/treatment.ts), so zod stays out of their bundle.
import { z } from 'zod';
import { count } from './record-schema.js';
import { TREATABLE_OUTCOMES } from './record.js';
import { COUNTED_OUTCOMES } from './treatment.js';

export const ruleSchema = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('close').describe('Close the record, with the outcome as its close reason.') }),
    z.strictObject({
      action: z.literal('postpone').describe("Call again later, keeping the record's place in line."),
      delayMinutes: count().describe('After this many minutes; 0: as soon as possible (an offered record stays offered, in its place).'),
    }),
  ])
  .describe('What an outcome does: Close, or Postpone by N minutes.');

export const treatmentSchema = z
  .strictObject({
    // A record with an enum key is exhaustive in zod 4: an outcome without a treatment cannot exist.
    onOutcome: z.record(z.enum(TREATABLE_OUTCOMES), ruleSchema).describe('The rule of every treatable outcome (each one present).'),
    closeAfter: z
      .partialRecord(z.enum(COUNTED_OUTCOMES), z.int().min(1))
      .describe('Close at the Nth occurrence of an outcome (reason `outcome-limit-reached`); an outcome absent has no threshold.'),
    maxAttempts: z
      .int()
      .min(1)
      .nullable()
      .describe(
        'Close when a failed attempt is this many dials (reason `too-many-attempts`); null: no limit. Refusals and offers lost in routing are not attempts.',
      ),
  })
  .describe('A treatment set: what happens after each outcome.');

export type Rule = z.infer<typeof ruleSchema>;
export type Treatment = z.infer<typeof treatmentSchema>;
