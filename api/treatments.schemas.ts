// What /v1/treatments answers.
import { z } from 'zod';
import { effectiveTreatmentSchema, storedTreatmentSchema } from '../db/treatments.js';
import { OUTCOMES, TREATABLE_OUTCOMES, type Outcome, type TreatableOutcome } from '../domain/record.js';
import { treatmentSchema } from '../domain/treatment-schema.js';

const FIXED_OUTCOMES = OUTCOMES.filter(
  (o): o is Exclude<Outcome, TreatableOutcome> => !(TREATABLE_OUTCOMES as readonly string[]).includes(o),
);

export const treatmentDefaults = z
  .strictObject({
    treatment: treatmentSchema.describe("The product's defaults: the set in force where no area or queue has one."),
    fixedOutcomes: z.record(z.enum(FIXED_OUTCOMES), z.string()).describe('The outcomes no set can change, each with what it does.'),
  })
  .describe("The product's default treatments, and the outcomes that are not treatable.");

export const treatmentList = z
  .strictObject({ items: z.array(storedTreatmentSchema).describe('Every stored set, areas before queues, then by name.') })
  .describe('The stored treatment sets.');

export const effectiveTreatment = effectiveTreatmentSchema;

export const savedTreatment = effectiveTreatmentSchema.options[0].describe(
  'The set as stored (PUT /v1/treatments/org-areas/{area} and /queues/{queue}).',
);
