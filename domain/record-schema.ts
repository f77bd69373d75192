// The callback record's shape as a zod schema: its types are inferred from it, and the API
// answers with it. Workflows import only the types (through domain/record.ts), so zod stays out of
// their bundle.
import { z } from 'zod';
import { CHANNELS, CLOSE_REASONS, HISTORY_EVENT_TYPES, OUTCOMES, STAGES, STATUSES } from './record.js';

/** Every instant the API gives is ISO 8601 in UTC (`Z`). */
export const utcInstant = () => z.iso.datetime();
const e164 = () => z.string().regex(/^\+[1-9]\d{1,14}$/);
/** A whole number from 0. */
export const count = () => z.int().min(0);

const waitingListOf = z
  .string()
  .nullable()
  .describe(
    'The agent whose personal waiting list the record is on (only that agent is offered it until the offer times out); null: the whole queue.',
  );
const copiedFrom = z.uuid().nullable().describe('The record an administrator copied this one from, or null.');

export const closeRequestSchema = z
  .strictObject({
    actor: z
      .string()
      .describe('`admin:<actor>` of the administrator who closed the record during its call (the actor as the audit log names it).'),
    at: utcInstant().describe('When the administrator closed it.'),
  })
  .describe('An administrator closed the record during a call: it is `Closing` and closes when the call ends.');

export const callbackRequestSchema = z
  .strictObject({
    id: z.uuid().describe("The record's id; also the id of its Temporal workflow."),
    phone: e164().describe("The customer's number to call, in E.164 (national numbers are read in the service's default country)."),
    queue: z.string().describe('The queue the record is routed to when it is due.'),
    orgArea: z.string().describe('The organisation area, from the queue: its limits, duplicate policy and standard treatments apply.'),
    channel: z
      .enum(CHANNELS)
      .describe(
        'Where the request came from: `ivr`, `web`, `agent`, `admin` (an administrator, also every copy) or `api` (another system).',
      ),
    createdBy: z.string().describe('Who made the request (a system, a person; the channel when not given; the administrator for a copy).'),
    taskType: z.string().nullable().describe('The errand ("invoice question"), or null.'),
    requestedAt: utcInstant().nullable().describe('The instant the customer chose to be called, or null for as soon as possible.'),
    validUntil: utcInstant()
      .nullable()
      .describe('After this instant the record closes as `expired` ("End contact - Automatic"); null: valid until it is called.'),
    priority: z.int().min(1).max(9).describe('1 is the most urgent, 9 the least; 5 when not given.'),
    customerId: z.string().nullable().describe('Membership or personal number that identifies the customer, or null.'),
    ani: e164().nullable().describe('The number the customer called from, in E.164, or null.'),
    comment: z.string().nullable().describe('Free text for the agent, or null.'),
    language: z.string().nullable().describe('The language to speak with the customer (a tag such as `sv` or `en-GB`), or null.'),
    contactData: z
      .record(z.string(), z.string())
      .describe('Free key/value data the requesting system attached (string values); `{}` when none.'),
    createdAt: utcInstant().describe('When the record was requested.'),
    // Optional in the request alone: workflow inputs recorded by earlier releases lack them.
    waitingListOf: waitingListOf.optional(),
    copiedFrom: copiedFrom.optional(),
  })
  .describe("What the API decided when the record was requested: the record workflow's input.");

export const callbackRecordSchema = callbackRequestSchema
  .extend({
    waitingListOf,
    status: z
      .enum(STATUSES)
      .describe(
        'The status administrators know: `Open`, `Paused`, `Active` (fetched: offered, with an agent, dialled, in a call or wrap-up), `Closing` (closed by an administrator during a call), `Closed`.',
      ),
    stage: z
      .enum(STAGES)
      .describe(
        'The finer state behind the status: `waiting` (for its calling time), `due` (for room in its queue), `paused`, `offered` (to agents), `accepted`, `dialling`, `connected` (talking, then wrap-up until the feedback), `closed`.',
      ),
    dueAt: utcInstant().describe('When it is next to be called: its calling time, or the time a Postpone set.'),
    rankAt: utcInstant().describe(
      'Its place in line: the first due time, kept across retries; a new time agreed with the customer is a new place.',
    ),
    attempts: count().describe('Dials made so far.'),
    outcomeCounts: z
      .partialRecord(z.enum(OUTCOMES), z.int().min(1))
      .describe('How many times each outcome ("feedback") has occurred; an outcome that never occurred is absent.'),
    latestOutcome: z.enum(OUTCOMES).nullable().describe('The most recent outcome, or null before the first.'),
    latestAgent: z
      .string()
      .nullable()
      .describe(
        'The agent who last accepted the record; null before that, and once the `lastAgentRetentionDays` parameter has cleared it from a closed record.',
      ),
    latestCallAt: utcInstant().nullable().describe('When the latest dial began, or null before the first.'),
    agentId: z.string().nullable().describe('The agent who holds the record now (stages `accepted`, `dialling`, `connected`), or null.'),
    refusedBy: z
      .array(z.string())
      .describe('Agents who refused the record since it was last offered: it is not offered to them again meanwhile.'),
    closeRequest: closeRequestSchema
      .nullable()
      .describe('Set when an administrator closed the record during a call (status `Closing`, until the call ends); null otherwise.'),
    closeReason: z
      .enum(CLOSE_REASONS)
      .nullable()
      .describe(
        'Why it closed (null until it has): `completed`, `expired` ("End contact - Automatic"), `too-many-attempts`, `outcome-limit-reached`, `closed-by-administrator`, `deleted`, `cancelled` (withdrawn by the customer, or its workflow cancelled in Temporal), or the outcome whose treatment is Close (`invalid-number`, `fax-modem` ...).',
      ),
    closedAt: utcInstant().nullable().describe('When it closed, or null.'),
    // The row in PostgreSQL carries the same number once it has caught up.
    version: z.int().min(1).describe('How many history events the record has had; grows by one with each.'),
  })
  .describe("A callback record: the customer's request and everything that has happened to it since.");

export const historyEventSchema = z
  .strictObject({
    seq: z.int().min(1).describe("The event's number in the record's history, from 1; the record's `version` when it happened."),
    at: utcInstant().describe('When it happened.'),
    type: z
      .enum(HISTORY_EVENT_TYPES)
      .describe(
        'What happened: the request (`requested`, `duplicate-requested`), the way through the queue (`scheduled`, `due`, `offered`, `offer-timeout`), the agent and the call (`accepted`, `refused`, `dialling`, `dialled`, `feedback`), the treatment (`postponed`, `rescheduled`), an administrator (`paused`, `enabled`, `changed`, `closing`) and the end (`closed`).',
      ),
    actor: z
      .string()
      .describe(
        'Who did it: `system`, `dialler`, `agent:<agentId>`, `admin:<actor>` (an administrator, as the audit log names them), `customer:<...>` (the customer withdrawing the request), or `<channel>:<createdBy>` of a request.',
      ),
    detail: z
      .record(z.string(), z.unknown())
      .describe(
        'What the event carries, by type: e.g. `requested` the queue and requestedAt, `dialled` the attempt and outcome, `postponed` the outcome, delay and new dueAt, `changed` the fields before and after, `closed` the reason.',
      ),
  })
  .describe("One event in a record's history.");

export type CallbackRequest = z.infer<typeof callbackRequestSchema>;
/** The record's live state: the request plus everything that happened to it since. */
export type CallbackRecord = z.infer<typeof callbackRecordSchema>;
export type HistoryEvent = z.infer<typeof historyEventSchema>;
