// The criteria administrators search records by, shared by the search, the CSV export and the
// bulk actions, so that "act on what I found" acts on exactly what was found.
import { instant } from './validate.js';
import { z } from 'zod';
import type { RecordCriteria } from '../db/records.js';
import { CHANNELS, CLOSE_REASONS, OUTCOMES, STAGES, STATUSES } from '../domain/record.js';
import { areaId } from './org-areas.js';
import { phoneOrProblem } from './request-checks.js';

const text = z.string().trim().min(1).max(100);

export const recordCriteria = z.strictObject({
  queue: z.string().min(1).max(64).optional(),
  orgArea: areaId.optional(),
  status: z.enum(STATUSES).optional(),
  stage: z.enum(STAGES).optional(),
  phone: z.string().min(3).max(32).optional(),
  taskType: text.optional(),
  channel: z.enum(CHANNELS).optional(),
  customerId: text.optional(),
  closeReason: z.enum(CLOSE_REASONS).optional(),
  latestOutcome: z.enum(OUTCOMES).optional(),
  latestAgent: text.optional(),
  waitingListOf: text.optional(),
  createdFrom: instant.optional(),
  createdTo: instant.optional(),
  dueFrom: instant.optional(),
  dueTo: instant.optional(),
});

/** The criteria as the database compares them: the phone in E.164, instants in UTC. */
export function toCriteria(q: z.infer<typeof recordCriteria>, defaultCountry: string, at = 'phone'): RecordCriteria {
  const criteria: RecordCriteria = { ...q };
  if (q.phone !== undefined) criteria.phone = phoneOrProblem(q.phone, defaultCountry, at, 'query');
  for (const key of ['createdFrom', 'createdTo', 'dueFrom', 'dueTo'] as const) {
    if (q[key]) criteria[key] = new Date(q[key]).toISOString();
  }
  return criteria;
}
