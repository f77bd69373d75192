// Every problem type the API answers with, its status and what a client should make of it. The
// OpenAPI document is built from this list, and problem() takes its status from it.
import type { INPUT_REJECTION, REJECTION } from '../workflows/callback-contract.js';

export const PROBLEM_TYPES = {
  // Any route
  'validation-error': [400, 'A field, query parameter or header is invalid; `errors` names each with its message.'],
  'bad-request': [400, 'The request could not be read (e.g. a body that is not JSON).'],
  unauthenticated: [401, 'No API key, or one that is wrong or revoked.'],
  forbidden: [403, "The key's role may not do this (`role`, `allowedRoles`), or a web key set a field it may not."],
  'not-found': [404, 'No such resource.'],
  'payload-too-large': [413, 'The body is over BODY_LIMIT_BYTES.'],
  'unsupported-media-type': [415, 'A body that is not declared JSON: send Content-Type application/json (or another +json type).'],
  'rate-limited': [429, 'Over RATE_LIMIT_PER_MINUTE for this key (or address); retry after `Retry-After` seconds.'],
  'internal-error': [500, 'A fault on our side; the request may be retried.'],
  'temporarily-unavailable': [
    503,
    'PostgreSQL or Temporal is out of reach, no worker took the message in time, or the API is shutting down; retry after `Retry-After` seconds (a creation with the same Idempotency-Key). A record action that timed out may still take effect later: read the record before repeating it.',
  ],
  // Requests and admission
  'unknown-queue': [422, 'No queue of this name.'],
  'unknown-org-area': [422, 'No organisation area of this id.'],
  'callback-service-disabled': [409, 'The enableCallbackService parameter is off: no callbacks are taken.'],
  'queue-not-accepting-callbacks': [409, 'The queue takes no callbacks now (acceptsCallbacks is off).'],
  'limit-reached': [409, "The queue's or area's maximum of active callbacks is reached (`scope`, `limit`)."],
  'idempotency-key-reused': [422, 'This Idempotency-Key came with a different request before.'],
  duplicate: [409, 'The customer has an active record already, and the area avoids duplicates (`existing`).'],
  'already-exists': [409, 'A resource with this name or id exists.'],
  'too-many-records': [422, 'A bulk action matched more records than it may take at once; narrow the filter.'],
  'last-admin-key': [409, 'The last admin key cannot be revoked: make another first.'],
  'delivery-not-failed': [409, 'Only a failed webhook delivery can be retried; this one is pending or delivered (`state`).'],
  'webhook-target-not-allowed': [
    422,
    'The webhook URL reaches inside the network: its host is, or resolves to, a loopback, private, link-local, metadata or other non-public address (`field`, `reason`); WEBHOOK_ALLOWED_PRIVATE_HOSTS can allow it.',
  ],
  'undecodable-payload': [
    422,
    'The codec endpoint (/codec/decode) could not decrypt a payload: sealed with a key not in PAYLOAD_KEYS, or altered.',
  ],
  'challenge-failed': [
    403,
    "The customer's page (/callback): the proof-of-work challenge is missing, forged, expired, already used or not solved; fetch a new one.",
  ],
  'queue-closed': [
    409,
    'The customer page asked for a call now while the queue is closed (`opensAt`: the next opening, local day and time).',
  ],
  'invalid-callback-token': [401, 'The Callback-Token is missing, forged or expired.'],
  'link-expired': [410, "The self-service link's callback has closed, or its validity has passed: the link works no more."],
  'invalid-telephony-signature': [
    403,
    "A telephony status callback whose signature does not verify (Twilio's X-Twilio-Signature, or the gateway's Telephony-Signature): nothing is changed.",
  ],
  // Appointment schedules
  'schedule-stopped': [409, 'The schedule takes no bookings now (not active).'],
  'slot-full': [409, 'Every place in this slot is taken; ask for the next free slot.'],
  'booking-being-moved': [409, 'This booking is being moved right now; try again in a moment.'],
  'no-such-slot': [422, 'The schedule has no slot starting at this time.'],
  'too-short-notice': [422, "The slot starts sooner than the schedule's minimum notice."],
  'beyond-booking-horizon': [422, "The slot lies beyond the schedule's booking horizon."],
  'identification-required': [422, 'The schedule needs identification the booking lacks (`missing` names it).'],
  'queue-not-in-org-area': [422, "The queue belongs to another organisation area than the schedule's."],
  // People: sign-in, sessions, acting as an agent, the agent directory
  'sign-in-failed': [
    401,
    'The name or the password is wrong, or the account cannot sign in with a password (deactivated, or single sign-on only).',
  ],
  'account-locked': [
    429,
    'Too many failed sign-ins in a row: the account is locked until `lockedUntil` (retry after `Retry-After` seconds); each further lock in a row lasts twice as long.',
  ],
  'csrf-refused': [
    403,
    "A state-changing request made with a session cookie lacks the session's X-CSRF-Token (from the sign-in or GET /v1/session), or comes from another origin.",
  ],
  'acting-as-another-agent': [
    403,
    'The request names another agent than the one signed in (or bound to this token) (`agentId`, `signedInAs`).',
  ],
  'not-an-agent': [403, 'This action needs an agent: the caller is signed in as, or its key is bound to, no agent.'],
  'sign-on-not-configured': [404, 'Single sign-on is not configured (OIDC_ISSUER, OIDC_CLIENT_ID).'],
  'sign-on-failed': [401, 'The single sign-on login is unknown, expired or used already, or the identity provider refused it.'],
  'sign-on-refused': [
    403,
    'The identity provider vouches for this person, but they may not sign in here (no role from the claim, no active agent, a deactivated account).',
  ],
  'unknown-agent': [422, 'No agent of this id in the directory (an agent account needs one).'],
  'invalid-csv': [422, 'The CSV file is refused as a whole: `rows` gives each bad row (1 is the header) with its errors.'],
  // A record's workflow refuses a message in its present state
  'record-closed': [409, 'The record is closed and takes no more actions.'],
  'not-offered': [409, 'The record is not offered now, so it cannot be accepted or refused.'],
  'taken-by-another-agent': [409, 'Another agent accepted the record first.'],
  'offered-to-another-agent': [409, "The record is on another agent's personal waiting list."],
  'reserved-for-another-agent': [409, 'The record is offered to another agent now, whose answer it waits for.'],
  'presence-not-changeable': [
    409,
    "The agent's state follows a record now (offered, on a call, in wrap-up): it changes when the record does (`state` says which).",
  ],
  'already-refused': [409, 'This agent refused the record already.'],
  'agent-not-on-call': [409, "Feedback from an agent who is not on this record's call."],
  'invalid-time': [409, "The new time is in the past or after the record's validity."],
  'record-in-call': [409, 'The record is being dialled or in a call: try again after the call.'],
  'already-paused': [409, 'The record is paused already.'],
  'not-paused': [409, 'The record is not paused.'],
  'already-closing': [409, 'The record closes when its call ends already.'],
  'invalid-text': [400, 'A text holds a NUL character or half of a surrogate pair, which cannot be stored.'],
  'agent-busy': [
    409,
    'The agent holds another record of the organisation area (`holding`) until its feedback is given or its wrap-up limit passes.',
  ],
  'not-supported-for-this-record': [409, "The record runs an earlier release's workflow, which lacks this action."],
} as const satisfies Record<string, readonly [number, string]>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

/** What any route under /v1 may answer, besides its own. */
export const EVERY_ROUTE: readonly ProblemType[] = [
  'unauthenticated',
  'forbidden',
  'rate-limited',
  'payload-too-large',
  'internal-error',
  'temporarily-unavailable',
];

// The record workflow's refusals reach clients as problem types: a refusal of the record's state is a
// 409, a refusal of the input itself a 400. A refusal missing here, or at another status, fails to compile.
type StatusOf<T extends ProblemType> = (typeof PROBLEM_TYPES)[T][0];
type Values<T> = T[keyof T];
const _stateRefusals: StatusOf<Values<typeof REJECTION>> extends 409 ? true : false = true;
const _inputRefusals: StatusOf<Values<typeof INPUT_REJECTION>> extends 400 ? true : false = true;
void [_stateRefusals, _inputRefusals];
