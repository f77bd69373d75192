// Checks of request values that zod alone cannot make: phone numbers read in the default
// country, times against the clock and each other (each failure a 400 naming the field), and what
// a web key may set.
import { toE164 } from '../domain/phone.js';
import { timeFault, type TimeFault } from '../domain/record-timing.js';
import { problem } from './problem.js';

/** The number in E.164, or a 400 naming `field`; `where` says what was invalid (body or query). */
export function phoneOrProblem(input: string, country: string, field: string, where = 'request body'): string {
  const e164 = toE164(input, country);
  if (!e164) {
    throw problem('validation-error', `invalid ${where}`, {
      errors: [{ path: field, message: `not a valid phone number (national numbers are read as ${country})` }],
    });
  }
  return e164;
}

export function timeProblem(field: string, message: string) {
  return problem('validation-error', 'invalid request body', { errors: [{ path: field, message }] });
}

const TIME_FAULTS: Record<TimeFault['rule'], string> = {
  'in-the-past': 'is in the past',
  'after-valid-until': 'is after validUntil',
  'before-due': 'is before the record is due to be called',
};

/** The record's time rule (domain/record-timing.ts), which the workflow checks too. */
export function checkRequestTimes(times: { requestedAt?: string | null; validUntil?: string | null }): void {
  const fault = timeFault(times, Date.now());
  if (fault) throw timeProblem(fault.field, TIME_FAULTS[fault.rule]);
}

/** What a key of the web role may not choose for the customer. */
const NOT_FOR_THE_WEB = ['priority', 'waitingListOf', 'createdBy'] as const;

export function refuseWhatTheWebMayNotSet(raw: Record<string, unknown>, notForTheWeb: readonly string[] = NOT_FOR_THE_WEB): void {
  const set = notForTheWeb.filter((field) => raw[field] !== undefined);
  const channel = raw.channel === 'web' ? [] : ['channel'];
  if (set.length + channel.length > 0) {
    throw problem('forbidden', 'a web key requests callbacks for the web channel, without priority, waiting list or creator', {
      errors: [
        ...channel.map((path) => ({ path, message: 'must be web' })),
        ...set.map((path) => ({ path, message: 'not for a web key' })),
      ],
    });
  }
}
