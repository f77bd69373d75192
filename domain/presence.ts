// An agent's presence: what they are doing now, as routing and supervisors see it. The agent sets
// `available` and `away` (and `offline` when signing off, `wrap-up` when their call has ended); the
// system sets the rest from what happens to the record reserved for or held by them.
import { z } from 'zod';

export const PRESENCE_STATES = ['available', 'away', 'offered', 'on-call', 'wrap-up', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** The reason an agent is away when an offer ran out unanswered, as contact centres say it. */
export const NO_ANSWER = 'no answer';
/** The reason an agent is away after a call, when the afterWrapUp parameter says away. */
export const AFTER_CALL = 'after call';

export const presenceSchema = z.strictObject({
  agentId: z.string().describe("The agent's id in the directory."),
  state: z
    .enum(PRESENCE_STATES)
    .describe('available, away (reason), offered (a record waits for their answer), on-call, wrap-up (until the feedback), offline.'),
  reason: z.string().nullable().describe('Why away (`no answer` when an offer ran out); null otherwise.'),
  since: z.iso.datetime({ offset: true }).describe('When the agent entered this state.'),
  recordId: z.string().nullable().describe('The record reserved for the agent (offered) or held by them (on-call, wrap-up).'),
  reservedUntil: z.iso.datetime({ offset: true }).nullable().describe('When the offer runs out (offered only).'),
  lastSeenAt: z.iso.datetime({ offset: true }).nullable().describe("When the agent's desk last listened to its event stream."),
});
export type Presence = z.infer<typeof presenceSchema>;

/** What an agent may set: available, away with a reason, offline; wrap-up once their call has ended. */
export const presenceChangeSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('available').describe('Records are pushed to the agent.') }),
  z.strictObject({
    state: z.literal('away').describe('No records pushed.'),
    reason: z.string().trim().min(1).max(100).describe('Why: lunch, training, a meeting...'),
  }),
  z.strictObject({ state: z.literal('offline').describe('Signed off: no records pushed.') }),
  z.strictObject({ state: z.literal('wrap-up').describe('The call has ended: the agent writes up, then gives feedback.') }),
]);
export type PresenceChange = z.infer<typeof presenceChangeSchema>;

/** A reservation as the record's workflow holds it. */
export interface Reservation {
  agentId: string;
  /** ISO instant the offer runs out. */
  until: string;
}
