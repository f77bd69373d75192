// What every route answers on success, as zod schemas: the source of the OpenAPI document's
// response bodies and the contract test/e2e/response-shapes.test.ts holds the running API to.
// Each field says what it means to an integrator; where a TypeScript type exists, a check at the
// bottom of the file makes the schema and the type one (a change to either fails to compile).
import { z } from 'zod';
import type { ApiKey } from '../db/api-keys.js';
import type { AuditRecord } from '../db/audit.js';
import type { OrgArea, Queue } from '../db/configuration.js';
import type { QueueLoad } from '../db/queue-status.js';
import { TREATMENT_SCOPES, type EffectiveTreatment, type StoredTreatment } from '../db/treatments.js';
import type { LocalTime } from '../domain/opening-hours.js';
import { DUPLICATE_POLICIES, PARAMETERS, type ParameterName, type Parameters } from '../domain/parameters.js';
import { WEEKDAYS, type OpeningHours } from '../domain/queue-config.js';
import {
  CHANNELS,
  CLOSE_REASONS,
  HISTORY_EVENT_TYPES,
  OUTCOMES,
  STAGES,
  STATUSES,
  TREATABLE_OUTCOMES,
  type CallbackRecord,
  type HistoryEvent,
  type Outcome,
  type TreatableOutcome,
} from '../domain/record.js';
import type { Treatment } from '../domain/treatment.js';
import { OVERDUE_AFTER_MINUTES, TIMINGS } from '../domain/record-timing.js';
import { ROLES } from '../domain/roles.js';
import { exceptionList, IDENTIFICATIONS, scheduleException as scheduleExceptionSchema, weekPattern } from '../domain/schedule-config.js';
import type { Problem } from './problem.js';
import type { publicView } from './self-service.js';
import type { BookingView } from '../services/bookings.js';
import type { Schedule } from '../db/schedules.js';
import type { Slot } from '../domain/schedule.js';

/** Every instant the API gives is ISO 8601 in UTC (`Z`). */
const instant = () => z.iso.datetime();
const e164 = () => z.string().regex(/^\+[1-9]\d{1,14}$/);
const count = () => z.int().min(0);

// Records

export const closeRequest = z
  .strictObject({
    actor: z.string().describe('`admin:<actor>` of the administrator who closed the record during its call (the actor as the audit log names it).'),
    at: instant().describe('When the administrator closed it.'),
  })
  .describe('An administrator closed the record during a call: it is `Closing` and closes when the call ends.');

export const callbackRecord = z
  .strictObject({
    id: z.uuid().describe("The record's id; also the id of its Temporal workflow."),
    phone: e164().describe("The customer's number to call, in E.164 (national numbers are read in the service's default country)."),
    queue: z.string().describe('The queue the record is routed to when it is due.'),
    orgArea: z.string().describe("The organisation area, from the queue: its limits, duplicate policy and standard treatments apply."),
    channel: z.enum(CHANNELS).describe('Where the request came from: `ivr`, `web`, `agent`, `admin` (an administrator, also every copy) or `api` (another system).'),
    createdBy: z.string().describe('Who made the request (a system, a person; the channel when not given; the administrator for a copy).'),
    taskType: z.string().nullable().describe('The errand ("invoice question"), or null.'),
    requestedAt: instant().nullable().describe('The instant the customer chose to be called, or null for as soon as possible.'),
    validUntil: instant()
      .nullable()
      .describe('After this instant the record closes as `expired` ("End contact - Automatic"); null: valid until it is called.'),
    priority: z.int().min(1).max(9).describe('1 is the most urgent, 9 the least; 5 when not given.'),
    customerId: z.string().nullable().describe('Membership or personal number that identifies the customer, or null.'),
    ani: e164().nullable().describe('The number the customer called from, in E.164, or null.'),
    comment: z.string().nullable().describe('Free text for the agent, or null.'),
    language: z.string().nullable().describe('The language to speak with the customer (a tag such as `sv` or `en-GB`), or null.'),
    contactData: z.record(z.string(), z.string()).describe('Free key/value data the requesting system attached (string values); `{}` when none.'),
    createdAt: instant().describe('When the record was requested.'),
    waitingListOf: z
      .string()
      .nullable()
      .describe("The agent whose personal waiting list the record is on (only that agent is offered it until the offer times out); null: the whole queue."),
    copiedFrom: z.uuid().nullable().describe('The record an administrator copied this one from, or null.'),
    status: z
      .enum(STATUSES)
      .describe('The status administrators know: `Open`, `Paused`, `Active` (fetched: offered, with an agent, dialled, in a call or wrap-up), `Closing` (closed by an administrator during a call), `Closed`.'),
    stage: z
      .enum(STAGES)
      .describe('The finer state behind the status: `waiting` (for its calling time), `due` (for room in its queue), `paused`, `offered` (to agents), `accepted`, `dialling`, `connected` (talking, then wrap-up until the feedback), `closed`.'),
    dueAt: instant().describe('When it is next to be called: its calling time, or the time a Postpone set.'),
    rankAt: instant().describe('Its place in line: the first due time, kept across retries; a new time agreed with the customer is a new place.'),
    attempts: count().describe('Dials made so far.'),
    outcomeCounts: z
      .partialRecord(z.enum(OUTCOMES), z.int().min(1))
      .describe('How many times each outcome ("feedback") has occurred; an outcome that never occurred is absent.'),
    latestOutcome: z.enum(OUTCOMES).nullable().describe('The most recent outcome, or null before the first.'),
    latestAgent: z.string().nullable().describe('The agent who last accepted the record; null before that, and once the `lastAgentRetentionDays` parameter has cleared it from a closed record.'),
    latestCallAt: instant().nullable().describe('When the latest dial began, or null before the first.'),
    agentId: z.string().nullable().describe('The agent who holds the record now (stages `accepted`, `dialling`, `connected`), or null.'),
    refusedBy: z.array(z.string()).describe('Agents who refused the record since it was last offered: it is not offered to them again meanwhile.'),
    closeRequest: closeRequest
      .nullable()
      .describe('Set when an administrator closed the record during a call (status `Closing`, until the call ends); null otherwise.'),
    closeReason: z
      .enum(CLOSE_REASONS)
      .nullable()
      .describe('Why it closed (null until it has): `completed`, `expired` ("End contact - Automatic"), `too-many-attempts`, `outcome-limit-reached`, `closed-by-administrator`, `deleted`, `cancelled` (withdrawn by the customer, or its workflow cancelled in Temporal), or the outcome whose treatment is Close (`invalid-number`, `fax-modem` ...).'),
    closedAt: instant().nullable().describe('When it closed, or null.'),
    version: z.int().min(1).describe('How many history events the record has had; grows by one with each.'),
  })
  .describe('A callback record: the customer\'s request and everything that has happened to it since.');

export const historyEvent = z
  .strictObject({
    seq: z.int().min(1).describe("The event's number in the record's history, from 1; the record's `version` when it happened."),
    at: instant().describe('When it happened.'),
    type: z
      .enum(HISTORY_EVENT_TYPES)
      .describe('What happened: the request (`requested`, `duplicate-requested`), the way through the queue (`scheduled`, `due`, `offered`, `offer-timeout`), the agent and the call (`accepted`, `refused`, `dialling`, `dialled`, `feedback`), the treatment (`postponed`, `rescheduled`), an administrator (`paused`, `enabled`, `changed`, `closing`) and the end (`closed`).'),
    actor: z
      .string()
      .describe('Who did it: `system`, `dialler`, `agent:<agentId>`, `admin:<actor>` (an administrator, as the audit log names them), `customer:<...>` (the customer withdrawing the request), or `<channel>:<createdBy>` of a request.'),
    detail: z
      .record(z.string(), z.unknown())
      .describe('What the event carries, by type: e.g. `requested` the queue and requestedAt, `dialled` the attempt and outcome, `postponed` the outcome, delay and new dueAt, `changed` the fields before and after, `closed` the reason.'),
  })
  .describe('One event in a record\'s history.');

export const recordWithHistory = callbackRecord
  .extend({ history: z.array(historyEvent).describe('Every event so far, oldest first.') })
  .describe('A callback record with its full history (GET /v1/callbacks/{id}).');

export const recordPage = z
  .strictObject({
    items: z.array(callbackRecord).describe('The records found, newest first.'),
    nextCursor: z
      .string()
      .nullable()
      .describe('Give as `cursor`, with the same criteria, for the next page; null when this page is the last (it may also be an empty last page).'),
  })
  .describe('One page of a record search.');

export const createdRecord = callbackRecord
  .extend({
    duplicate: z
      .boolean()
      .describe('false: a new record (201). true: the area avoids duplicates and this is the customer\'s active record already (200); the request went into its history as `duplicate-requested`.'),
  })
  .describe('The record a request for a callback made, or the active record it duplicates.');

export const copiedRecord = callbackRecord
  .extend({
    channel: z.literal('admin').describe('A copy is always an administrator\'s request.'),
    copiedFrom: z.uuid().describe('The record it was copied from.'),
    duplicate: z.literal(false).describe('Always false: a copy that would duplicate an active record is refused (409 `duplicate`).'),
  })
  .describe('The new record an administrator\'s copy made.');

// Problems (RFC 9457), as the API answers errors and as a bulk action reports one record's refusal.

export const problemDetails = z
  .looseObject({
    type: z.string().describe('A stable problem type a client can branch on, such as `record-in-call` or `limit-reached`.'),
    title: z.string().describe('A short human-readable summary.'),
    status: z.int().min(400).max(599).describe('The HTTP status.'),
    detail: z.string().optional().describe('More about this occurrence.'),
    instance: z.string().optional().describe('The path of the request (in an error response; absent from a bulk action\'s results).'),
  })
  .describe('RFC 9457 problem details; some types carry more members (`errors`, `limit`, `scope`, `existing` ...).');

export const BULK_ACTIONS = ['pause', 'enable', 'close', 'change', 'delete'] as const;

export const bulkResult = z
  .strictObject({
    action: z.enum(BULK_ACTIONS).describe('The action taken.'),
    matched: count().describe('Records the filter found (at most 1000).'),
    succeeded: count().describe('Records the action was done to.'),
    failed: count().describe('Records that refused it (`matched` minus `succeeded`).'),
    results: z
      .array(
        z.discriminatedUnion('ok', [
          z.strictObject({
            id: z.uuid().describe("The record's id."),
            ok: z.literal(true).describe('The action was done.'),
            status: z
              .union([z.enum(STATUSES), z.literal('Deleted')])
              .describe('The record\'s status after the action; `Deleted` for a deleted (erased) record.'),
          }),
          z.strictObject({
            id: z.uuid().describe("The record's id."),
            ok: z.literal(false).describe('The record refused the action, or it failed.'),
            problem: problemDetails.describe('Why, as the single-record action would have answered (e.g. 409 `record-in-call`).'),
          }),
        ]),
      )
      .describe('One result per matched record, in the order they finished.'),
  })
  .describe('What a bulk action did to each record its filter found.');

// Organisation areas and queues

export const orgArea = z
  .strictObject({
    id: z.string().describe("The area's id, as queues and records name it."),
    name: z.string().describe("The area's display name."),
    maxActiveRecords: count()
      .nullable()
      .describe('The most active records (Open, Paused, Active or Closing, whatever their calling time; records being moved there included) the area takes; null: no limit.'),
    duplicatePolicy: z
      .enum(DUPLICATE_POLICIES)
      .describe('`allow` duplicates; `avoid` (one active record per phone number in the area); `avoid-same-task-type` (one per number and task type).'),
  })
  .describe('An organisation area.');

export const orgAreaList = z
  .strictObject({ items: z.array(orgArea).describe('Every organisation area, by id.') })
  .describe('The organisation areas.');

const clock = () => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
export const openingPeriod = z
  .strictObject({
    from: clock().describe('Opens at, HH:MM local time (inclusive).'),
    to: clock().describe('Closes at, HH:MM local time (exclusive; 24:00 for midnight).'),
  })
  .describe('One opening period of a day, in the queue\'s time zone.');

export const openingHours = z
  .partialRecord(z.enum(WEEKDAYS), z.array(openingPeriod))
  .describe('Weekly opening hours by weekday (`monday` ... `sunday`), in the queue\'s time zone; a day absent or empty is closed.');

export const queueConfig = z
  .strictObject({
    name: z.string().describe("The queue's name, as records and agents name it."),
    orgArea: z.string().describe('The organisation area the queue belongs to.'),
    timeZone: z.string().describe("The queue's IANA time zone (`Europe/Stockholm`): its opening hours are read in it."),
    openingHours,
    maxActiveRecords: count()
      .nullable()
      .describe('The most active records (Open, Paused, Active or Closing, whatever their calling time; records being moved there included) the queue takes; null: no limit.'),
    offerTimeoutSeconds: z
      .int()
      .min(1)
      .nullable()
      .describe('How long an offer waits for an agent before it goes to another; null: the `offerTimeoutSeconds` parameter.'),
    gateSize: z
      .int()
      .min(1)
      .nullable()
      .describe('How many records may be in the queue at once (offered, dialled, in a call, in wrap-up); null: the `callbackBufferMax` parameter.'),
    acceptsCallbacks: z.boolean().describe('false: requests for a callback in this queue are refused (409 `queue-not-accepting-callbacks`).'),
    wrapUpTimeoutSeconds: z
      .int()
      .min(1)
      .describe(
        "Seconds from the customer answering to the agent's feedback; without feedback by then the record counts as `agent-client-terminated` and leaves the agent.",
      ),
  })
  .describe('A queue\'s configuration.');

export const queueList = z
  .strictObject({ items: z.array(queueConfig).describe('Every queue, by name.') })
  .describe('The queues.');

export const queueLoad = z
  .strictObject({
    scheduled: count().describe('Open records before their calling time (stage `waiting`).'),
    due: count().describe('Open records that are due and wait for room in the queue.'),
    offered: count().describe('Records in the queue for an agent to accept.'),
    withAgent: count().describe('Records with an agent: accepted, dialling, in a call or in wrap-up.'),
    paused: count().describe('Records an administrator paused.'),
  })
  .describe("The queue's records that are not closed, by stage.");

export const NOT_OFFERED_REASONS = [
  'callback-service-disabled',
  'queue-not-accepting-callbacks',
  'queue-limit-reached',
  'org-area-limit-reached',
] as const;

export const queueStatus = z
  .strictObject({
    queue: z.string().describe("The queue's name."),
    timeZone: z.string().describe("The queue's IANA time zone."),
    openNow: z.boolean().describe('Whether the queue is within its opening hours now.'),
    today: z
      .strictObject({
        date: z.iso.date().describe("Today's date in the queue's time zone (YYYY-MM-DD)."),
        weekday: z.enum(WEEKDAYS).describe("Today's weekday in the queue's time zone."),
        openingHours: z.array(openingPeriod).describe("Today's opening periods; empty: closed all day."),
      })
      .describe("Today, in the queue's time zone."),
    records: queueLoad,
    expectedWaitSeconds: count()
      .nullable()
      .describe('The expected wait for an ASAP callback: the median time from due to accepted of the queue\'s recent acceptances; null with too few of them.'),
    expectedWaitBasis: z
      .strictObject({
        windowMinutes: z.int().min(1).describe('The acceptances counted are those of the last this many minutes.'),
        acceptances: count().describe('Acceptances in that window.'),
        minimum: z.int().min(1).describe('Acceptances needed before an expected wait is given.'),
      })
      .describe('What the expected wait is based on.'),
    callbackOffered: z.boolean().describe('Whether a callback may be offered now: a request would not be refused for a setting or a limit.'),
    notOfferedBecause: z
      .array(z.enum(NOT_OFFERED_REASONS))
      .describe('Why not (empty when offered): the service is switched off, the queue takes no callbacks, or the queue\'s or the area\'s limit of active records is reached.'),
  })
  .describe('For the IVR and the web page: whether to offer a callback now, and what the customer will meet.');

export const nextRecordAnswer = callbackRecord.describe(
  'The record the agent has taken (200; stage `accepted`, or further on when the agent held it already): their own waiting list first, then priority, then place in line. 204 with no body when the queue offers them none.',
);

// System parameters

/** One parameter's answer; the check at the bottom holds each value to its parameter's own schema. */
function parameterEntry<N extends ParameterName, S extends z.ZodType>(name: N, schema: S) {
  return z
    .strictObject({
      name: z.literal(name).describe("The parameter's name."),
      value: schema.describe('The value in force now.'),
      default: schema.describe("The product's default, in force until a value is set."),
      effect: z.string().describe('What the parameter does.'),
    })
    .describe(PARAMETERS[name].effect);
}

export const parameter = z
  .discriminatedUnion('name', [
    parameterEntry('enableCallbackService', PARAMETERS.enableCallbackService.schema),
    parameterEntry('callbackBufferMax', PARAMETERS.callbackBufferMax.schema),
    parameterEntry('callbackDuplicatePolicy', PARAMETERS.callbackDuplicatePolicy.schema),
    parameterEntry('waitingListFirst', PARAMETERS.waitingListFirst.schema),
    parameterEntry('defaultValidityHours', PARAMETERS.defaultValidityHours.schema),
    parameterEntry('offerTimeoutSeconds', PARAMETERS.offerTimeoutSeconds.schema),
    parameterEntry('lastAgentRetentionDays', PARAMETERS.lastAgentRetentionDays.schema),
  ])
  .describe('A system parameter with its value, default and effect (PUT /v1/parameters/{name} answers the one it changed).');

export const parameterList = z
  .strictObject({ items: z.array(parameter).describe('Every system parameter.') })
  .describe('The system parameters.');

// Treatments

export const treatmentRule = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('close').describe('Close the record, with the outcome as its close reason.') }),
    z.strictObject({
      action: z.literal('postpone').describe('Call again later, keeping the record\'s place in line.'),
      delayMinutes: count().describe('After this many minutes; 0: as soon as possible (an offered record stays offered, in its place).'),
    }),
  ])
  .describe('What an outcome does: Close, or Postpone by N minutes.');

const COUNTED_OUTCOMES = [...TREATABLE_OUTCOMES, 'reestablish-later'] as const;

export const treatment = z
  .strictObject({
    onOutcome: z
      .record(z.enum(TREATABLE_OUTCOMES), treatmentRule)
      .describe('The rule of every treatable outcome (each one present).'),
    closeAfter: z
      .partialRecord(z.enum(COUNTED_OUTCOMES), z.int().min(1))
      .describe('Close at the Nth occurrence of an outcome (reason `outcome-limit-reached`); an outcome absent has no threshold.'),
    maxAttempts: z
      .int()
      .min(1)
      .nullable()
      .describe('Close when a failed attempt is this many dials (reason `too-many-attempts`); null: no limit. Refusals and offers lost in routing are not attempts.'),
  })
  .describe('A treatment set: what happens after each outcome.');

const FIXED_OUTCOMES = OUTCOMES.filter((o): o is Exclude<Outcome, TreatableOutcome> => !(TREATABLE_OUTCOMES as readonly string[]).includes(o));

export const treatmentDefaults = z
  .strictObject({
    treatment: treatment.describe("The product's defaults: the set in force where no area or queue has one."),
    fixedOutcomes: z
      .record(z.enum(FIXED_OUTCOMES), z.string())
      .describe('The outcomes no set can change, each with what it does.'),
  })
  .describe("The product's default treatments, and the outcomes that are not treatable.");

export const storedTreatment = z
  .strictObject({
    scope: z.enum(TREATMENT_SCOPES).describe('`org-area`: an area\'s standard set; `queue`: a queue\'s exception to it.'),
    name: z.string().describe("The organisation area's id, or the queue's name."),
    treatment,
    updatedBy: z.string().describe('Who last stored it, as the audit log names them.'),
    updatedAt: instant().describe('When it was last stored.'),
  })
  .describe('A treatment set stored for an area or a queue.');

export const treatmentList = z
  .strictObject({ items: z.array(storedTreatment).describe('Every stored set, areas before queues, then by name.') })
  .describe('The stored treatment sets.');

const fromStore = z.strictObject({
  treatment,
  source: z.enum(TREATMENT_SCOPES).describe("Where the set comes from: the queue's exception (`queue`) or its area's standard (`org-area`)."),
  updatedBy: z.string().describe('Who last stored it, as the audit log names them.'),
  updatedAt: instant().describe('When it was last stored.'),
});

export const savedTreatment = fromStore.describe('The set as stored (PUT /v1/treatments/org-areas/{area} and /queues/{queue}).');

export const effectiveTreatment = z
  .discriminatedUnion('source', [
    fromStore,
    z.strictObject({
      treatment,
      source: z.literal('default').describe("No set is stored for the queue or its area: the product's defaults apply."),
      updatedBy: z.null().describe('Null: the defaults are nobody\'s change.'),
      updatedAt: z.null().describe('Null for the defaults.'),
    }),
  ])
  .describe("The treatment set that applies to an area or a queue, and where it comes from.");

// Audit log

export const auditEntry = z
  .strictObject({
    id: z.string().regex(/^\d+$/).describe("The entry's id (a number, as a string)."),
    at: z.iso
      .datetime({ precision: 6 })
      .describe('When, in UTC with microseconds (`2025-03-01T09:30:00.123456Z`), exactly as `from` and `to` take it.'),
    actor: z.string().describe("Who acted: the API key's name, followed by `/<X-Actor>` when a system acts for a person (`crm-prod/anna.svensson`)."),
    action: z
      .string()
      .describe('What: `search`, `export`, `change`, `copy`, `pause`, `enable`, `close`, `delete`, `bulk-<action>`, `queue-create`, `queue-change`, `org-area-create`, `org-area-change`, `parameter-change`, `treatment-change`, `treatment-reset` ...'),
    recordId: z.string().nullable().describe('The record acted on, or null.'),
    filter: z.record(z.string(), z.unknown()).nullable().describe('The search criteria of a search, an export or a bulk action; null for others.'),
    detail: z.record(z.string(), z.unknown()).describe('What was asked or done (changes, comment, counts ...); `{}` when nothing more.'),
    result: z.string().describe('`ok`, or the problem type the action was refused with.'),
  })
  .describe('One entry of the audit log.');

export const auditPage = z
  .strictObject({
    items: z.array(auditEntry).describe('The entries found, newest first.'),
    nextCursor: z.string().nullable().describe('Give as `cursor`, with the same filters, for the next page; null on the last page.'),
  })
  .describe('One page of the audit log.');

// API keys and the customer's self-service

export const apiKey = z
  .strictObject({
    id: z.string().describe("The key's id: the part of the key after `cbk_`, not secret."),
    name: z.string().describe('Who calls with it; the actor in the audit log.'),
    role: z.enum(ROLES).describe('What it may do.'),
    createdAt: instant().describe('When it was made.'),
    createdBy: z.string().describe('Who made it.'),
    revokedAt: instant().nullable().describe('When it was revoked; null while it works.'),
    lastUsedAt: instant().nullable().describe('About when it was last used (noted at most once a minute per API process).'),
  })
  .describe('An API key, without its secret.');

export const apiKeyList = z.strictObject({ items: z.array(apiKey).describe('Every key, oldest first.') }).describe('The API keys.');

export const createdApiKey = apiKey
  .extend({ key: z.string().describe('The key itself, `cbk_<id>_<secret>`: shown this once, only its hash is kept.') })
  .describe('A new API key, with its secret.');

export const publicRecord = z
  .strictObject({
    id: z.uuid().describe("The callback's id."),
    status: z.enum(STATUSES).describe('Open, Paused, Active, Closing or Closed.'),
    queue: z.string().describe('The queue that will call.'),
    requestedAt: instant().nullable().describe('The time the customer chose; null: as soon as possible.'),
    dueAt: instant().describe('When the callback is due to be offered to agents.'),
    validUntil: instant().nullable().describe('After this it expires.'),
    createdAt: instant().describe('When it was requested.'),
    closeReason: z.enum(CLOSE_REASONS).nullable().describe('Why it closed (cancelled when the customer cancelled); null while open.'),
  })
  .describe("What a customer may see of their own callback.");

export const bookingView = z
  .strictObject({
    scheduleId: z.string().describe('The appointment schedule.'),
    timeZone: z.string().describe("The schedule's IANA time zone."),
    slotStart: instant().describe("The slot's start, UTC."),
    slotEnd: instant().describe("The slot's end, UTC."),
    localStart: z.string().describe("The slot's start on the schedule's wall clock, with its offset."),
    localEnd: z.string().describe("The slot's end on the schedule's wall clock, with its offset."),
    minutes: z.int().describe("The slot's length in minutes."),
  })
  .describe('An appointment: the slot a record is booked into.');

export const selfServiceView = publicRecord
  .extend({ booking: bookingView.nullable().describe('The appointment, when the callback is one; null otherwise.') })
  .describe('What a customer sees of their own callback, with its appointment.');

export const webBooked = publicRecord
  .extend({
    booking: bookingView.describe('The slot booked.'),
    selfServiceToken: z.string().describe('Send as the Callback-Token header to /v1/self-service to read, move or cancel this appointment.'),
  })
  .describe('What a web key gets when it books a slot.');

// Appointment schedules

export const schedule = z
  .strictObject({
    id: z.string().describe("The schedule's id."),
    name: z.string().describe('A name for people.'),
    orgArea: z.string().describe('The organisation area (the queue\'s).'),
    queue: z.string().describe('The queue whose agents call the booked customers.'),
    taskType: z.string().nullable().describe('The task type of booked records, or null.'),
    timeZone: z.string().describe('The IANA zone of the pattern and the exception dates.'),
    active: z.boolean().describe('Whether it offers and takes bookings.'),
    week: weekPattern.describe('Per weekday: bookable periods and minutes per appointment.'),
    capacity: count().describe('Bookings one slot takes.'),
    horizonDays: count().describe('Days ahead a slot may be booked.'),
    minimumNoticeMinutes: count().describe('Minutes before its start a slot may still be booked.'),
    identification: z.enum(IDENTIFICATIONS).describe('What a booking must carry.'),
    priority: z.int().min(1).max(9).describe('The priority of booked records.'),
    exceptions: exceptionList.describe('Exception dates: closed, or other hours.'),
  })
  .describe('An appointment schedule.');

export const scheduleList = z.strictObject({ items: z.array(schedule).describe('Every schedule.') }).describe('The appointment schedules.');

export const scheduleException = scheduleExceptionSchema.describe('An exception date as stored.');

const slotFields = {
  start: instant().describe("The slot's start, UTC: give it as slotStart to book."),
  end: instant().describe("The slot's end, UTC."),
  localStart: z.string().describe('The start on the schedule\'s wall clock, with its offset (two slots of a repeated hour differ by it).'),
  localEnd: z.string().describe('The end on the schedule\'s wall clock, with its offset.'),
  date: z.string().describe('The local date whose pattern made the slot.'),
  minutes: count().describe('Its length in minutes.'),
  capacity: count().describe('Bookings it takes.'),
  free: count().describe('Places still free.'),
};
export const freeSlot = z.strictObject(slotFields).describe('A bookable slot with its free places.');

export const availability = z
  .strictObject({
    scheduleId: z.string().describe('The schedule.'),
    timeZone: z.string().describe("The schedule's zone."),
    active: z.boolean().describe('A stopped schedule lists no slots.'),
    from: z.string().describe('The first local date listed.'),
    days: count().describe('How many days are listed.'),
    slots: z.array(freeSlot).describe('Bookable slots (ahead of the notice, within the horizon), in time order, full ones included.'),
  })
  .describe('Free appointment times.');

export const nextFreeSlot = z
  .strictObject({
    scheduleId: z.string().describe('The schedule.'),
    timeZone: z.string().describe("The schedule's zone."),
    active: z.boolean().describe('Whether it takes bookings.'),
    slot: freeSlot.nullable().describe('The first slot with a free place (after `after`), or null within the horizon.'),
  })
  .describe('The next free slot.');

export const bookingAnswer = z
  .strictObject({
    record: callbackRecord.describe('The booked callback record.'),
    booking: z.lazy(() => bookingView).describe('Its slot.'),
  })
  .describe('A booking: the record and its slot.');

export const queueCallbacks = z
  .strictObject({
    queue: z.string().describe('The queue.'),
    at: instant().describe('The instant the timings were judged at.'),
    items: z
      .array(
        callbackRecord.extend({
          timing: z
            .enum(TIMINGS)
            .describe(`upcoming: before its time; overdue: no agent has it and its slot has ended, or ${OVERDUE_AFTER_MINUTES} minutes past its time without a slot; due: the rest.`),
          booking: z
            .strictObject({
              scheduleId: z.string().describe('The schedule.'),
              slotStart: instant().describe("The slot's start."),
              slotEnd: instant().describe("The slot's end."),
            })
            .nullable()
            .describe('The appointment, or null for a callback without one.'),
        }),
      )
      .describe("The queue's records that are not closed, by calling time."),
    nextCursor: z.string().nullable().describe('Give as `cursor` for the next page; null when this page is not full.'),
  })
  .describe("The agents' list of a queue.");

export const webCreated = z
  .union([
    publicRecord
      .extend({
        duplicate: z.literal(false).describe('A new callback.'),
        selfServiceToken: z.string().describe('Send as the Callback-Token header to /v1/self-service to read, move or cancel this callback.'),
      })
      .describe('A new callback (201).'),
    z
      .strictObject({ duplicate: z.literal(true).describe('The number has an active callback already; nothing of it is shown.') })
      .describe('A duplicate (200).'),
  ])
  .describe('What a web key gets when it requests a callback.');

// Health

export const health = z
  .strictObject({ status: z.literal('ok').describe('The API and its database answer.') })
  .describe('GET /healthz.');

// The schemas and the types are one. Where the API answers more precisely than its type (a field
// that is always there, a union in place of nullable fields), the check says how.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The API always gives `copiedFrom` (null when not a copy); the type leaves it optional for old workflow inputs. */
type RecordAsAnswered = Omit<CallbackRecord, 'copiedFrom'> & { copiedFrom: string | null };

const _record: Same<z.infer<typeof callbackRecord>, RecordAsAnswered> = true;
const _event: Same<z.infer<typeof historyEvent>, HistoryEvent> = true;
const _orgArea: Same<z.infer<typeof orgArea>, OrgArea> = true;
const _queue: Same<z.infer<typeof queueConfig>, Queue> = true;
const _openingHours: Same<z.infer<typeof openingHours>, OpeningHours> = true;
const _load: Same<z.infer<typeof queueLoad>, QueueLoad> = true;
const _today: Same<Omit<z.infer<typeof queueStatus>['today'], 'openingHours'>, Omit<LocalTime, 'time'>> = true;
const _parameterNames: Same<z.infer<typeof parameter>['name'], ParameterName> = true;
const _parameterValues: Same<{ [K in ParameterName]: Extract<z.infer<typeof parameter>, { name: K }>['value'] }, Parameters> = true;
const _treatment: Same<z.infer<typeof treatment>, Treatment> = true;
const _stored: Same<z.infer<typeof storedTreatment>, StoredTreatment> = true;
/** A union is more precise than the type's nullable fields: every answer is an EffectiveTreatment. */
const _effective: z.infer<typeof effectiveTreatment> extends EffectiveTreatment ? true : false = true;
const _saved: z.infer<typeof savedTreatment> extends EffectiveTreatment ? true : false = true;
const _audit: Same<z.infer<typeof auditEntry>, AuditRecord> = true;
const _problem: z.infer<typeof problemDetails> extends Omit<Problem, 'status'> & { status: number } ? true : false = true;
const _key: Same<z.infer<typeof apiKey>, ApiKey> = true;
const _public: Same<z.infer<typeof publicRecord>, ReturnType<typeof publicView>> = true;
const _booking: Same<z.infer<typeof bookingView>, BookingView> = true;
const _schedule: Same<z.infer<typeof schedule>, Schedule> = true;
const _slot: Same<Omit<z.infer<typeof freeSlot>, 'capacity' | 'free'>, Slot> = true;
void [_schedule, _slot, _booking, _key, _public, _record, _event, _orgArea, _queue, _openingHours, _load, _today, _parameterNames, _parameterValues, _treatment, _stored, _effective, _saved, _audit, _problem];
