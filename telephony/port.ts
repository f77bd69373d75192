// The dialler port for real telephony: what each provider's adapter does. The engine
// (telephony/calls.ts) keeps the call log, decides outcomes and tells the waiting dial.
import type { StoredEvent, TelephonyCall } from '../db/telephony.js';

export interface TelephonyAdapter {
  readonly name: 'twilio' | 'http';
  /** Whether a customer leg's `answered` waits for the answering-machine result. */
  readonly amd: boolean;
  /** Asks the provider for the call, agent first: the provider's id of it. */
  place(call: TelephonyCall): Promise<string>;
  /** After a crash between asking and recording: the provider's id of the call this row already made, if any. */
  find(call: TelephonyCall): Promise<string | null>;
  /** The call's legs as the provider knows them now (a status callback may have been lost). */
  current(call: TelephonyCall): Promise<StoredEvent[]>;
  /** Ends the call (an answering machine or a fax answered). */
  hangUp(call: TelephonyCall): Promise<void>;
}
