// The criteria administrators search records by, shared by the search, the CSV export and the
// bulk actions, so that "act on what I found" acts on exactly what was found.
import { areaId, instant } from './schemas.js';
import { z } from 'zod';
import type { RecordCriteria } from '../db/records.js';
import { CHANNELS, CLOSE_REASONS, OUTCOMES, STAGES, STATUSES } from '../domain/record.js';
import { phoneOrProblem } from './request-checks.js';

const text = z.string().trim().min(1).max(100);

export const recordCriteria = z
  .strictObject({
    queue: z.string().min(1).max(64).optional().describe('Records of this queue'),
    orgArea: areaId.optional().describe('Records of this organisation area'),
    status: z.enum(STATUSES).optional().describe('Records in this status'),
    stage: z.enum(STAGES).optional().describe('Records at this stage of their lifecycle'),
    phone: z.string().min(3).max(32).optional().describe("Records of this customer's number (any format; compared in E.164)"),
    taskType: text.optional().describe('Records of this task type'),
    channel: z.enum(CHANNELS).optional().describe('Records requested through this channel'),
    customerId: text.optional().describe("Records of this customer id (the CRM's)"),
    closeReason: z.enum(CLOSE_REASONS).optional().describe('Closed records that closed for this reason'),
    latestOutcome: z.enum(OUTCOMES).optional().describe('Records whose latest outcome is this'),
    latestAgent: text.optional().describe('Records whose latest call was by this agent'),
    waitingListOf: text.optional().describe("Records on this agent's personal waiting list"),
    createdFrom: instant.optional().describe('Records created at or after this instant'),
    createdTo: instant.optional().describe('Records created before this instant'),
    dueFrom: instant.optional().describe('Records due at or after this instant'),
    dueTo: instant.optional().describe('Records due before this instant'),
  })
  .describe('Criteria that all must hold; none given: every record');

/** The criteria as the database compares them: the phone in E.164, instants in UTC. */
export function toCriteria(q: z.infer<typeof recordCriteria>, defaultCountry: string, at = 'phone'): RecordCriteria {
  const criteria: RecordCriteria = { ...q };
  if (q.phone !== undefined) criteria.phone = phoneOrProblem(q.phone, defaultCountry, at, 'query');
  for (const key of ['createdFrom', 'createdTo', 'dueFrom', 'dueTo'] as const) {
    if (q[key]) criteria[key] = new Date(q[key]).toISOString();
  }
  return criteria;
}
