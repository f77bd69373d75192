// What /v1/treatments answers.
import { z } from 'zod';
import { TREATMENT_SCOPES } from '../db/treatments.js';
import { OUTCOMES, TREATABLE_OUTCOMES, type Outcome, type TreatableOutcome } from '../domain/record.js';
import { count, utcInstant } from './schemas.js';
import type { EffectiveTreatment, StoredTreatment } from '../db/treatments.js';
import type { Treatment } from '../domain/treatment.js';

export const treatmentRule = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('close').describe('Close the record, with the outcome as its close reason.') }),
    z.strictObject({
      action: z.literal('postpone').describe("Call again later, keeping the record's place in line."),
      delayMinutes: count().describe('After this many minutes; 0: as soon as possible (an offered record stays offered, in its place).'),
    }),
  ])
  .describe('What an outcome does: Close, or Postpone by N minutes.');

const COUNTED_OUTCOMES = [...TREATABLE_OUTCOMES, 'reestablish-later'] as const;

export const treatment = z
  .strictObject({
    onOutcome: z.record(z.enum(TREATABLE_OUTCOMES), treatmentRule).describe('The rule of every treatable outcome (each one present).'),
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

const FIXED_OUTCOMES = OUTCOMES.filter(
  (o): o is Exclude<Outcome, TreatableOutcome> => !(TREATABLE_OUTCOMES as readonly string[]).includes(o),
);

export const treatmentDefaults = z
  .strictObject({
    treatment: treatment.describe("The product's defaults: the set in force where no area or queue has one."),
    fixedOutcomes: z.record(z.enum(FIXED_OUTCOMES), z.string()).describe('The outcomes no set can change, each with what it does.'),
  })
  .describe("The product's default treatments, and the outcomes that are not treatable.");

export const storedTreatment = z
  .strictObject({
    scope: z.enum(TREATMENT_SCOPES).describe("`org-area`: an area's standard set; `queue`: a queue's exception to it."),
    name: z.string().describe("The organisation area's id, or the queue's name."),
    treatment,
    updatedBy: z.string().describe('Who last stored it, as the audit log names them.'),
    updatedAt: utcInstant().describe('When it was last stored.'),
  })
  .describe('A treatment set stored for an area or a queue.');

export const treatmentList = z
  .strictObject({ items: z.array(storedTreatment).describe('Every stored set, areas before queues, then by name.') })
  .describe('The stored treatment sets.');

const fromStore = z.strictObject({
  treatment,
  source: z
    .enum(TREATMENT_SCOPES)
    .describe("Where the set comes from: the queue's exception (`queue`) or its area's standard (`org-area`)."),
  updatedBy: z.string().describe('Who last stored it, as the audit log names them.'),
  updatedAt: utcInstant().describe('When it was last stored.'),
});

export const savedTreatment = fromStore.describe('The set as stored (PUT /v1/treatments/org-areas/{area} and /queues/{queue}).');

export const effectiveTreatment = z
  .discriminatedUnion('source', [
    fromStore,
    z.strictObject({
      treatment,
      source: z.literal('default').describe("No set is stored for the queue or its area: the product's defaults apply."),
      updatedBy: z.null().describe("Null: the defaults are nobody's change."),
      updatedAt: z.null().describe('Null for the defaults.'),
    }),
  ])
  .describe('The treatment set that applies to an area or a queue, and where it comes from.');

// The types db/ and domain/ give and these schemas are one: a change to either fails to compile. A
// union is more precise than the type's nullable fields: every answer is an EffectiveTreatment.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _treatment: Same<z.infer<typeof treatment>, Treatment> = true;
const _stored: Same<z.infer<typeof storedTreatment>, StoredTreatment> = true;
const _effective: z.infer<typeof effectiveTreatment> extends EffectiveTreatment ? true : false = true;
const _saved: z.infer<typeof savedTreatment> extends EffectiveTreatment ? true : false = true;
void [_treatment, _stored, _effective, _saved];
