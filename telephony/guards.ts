// Numbers the centre must never call, refused before any dial: premium-rate ranges, a block
// list, and the countries it may call. A refused number is the attempt's `invalid-number`, with
// the reason in the record's history.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface NumberGuards {
  /** ISO 3166 countries that may be called; empty: any. */
  allowedCountries: readonly string[];
  /** E.164 prefixes never called (premium-rate ranges). */
  blockedPrefixes: readonly string[];
  /** E.164 numbers never called. */
  blockedNumbers: readonly string[];
}

export type GuardRefusal =
  | { refused: 'blocked-number' }
  | { refused: 'premium-rate'; prefix: string }
  | { refused: 'country-not-allowed'; country: string }
  | { refused: 'premium-rate'; numberType: 'PREMIUM_RATE' };

/** Null when the number may be called; otherwise why not. */
export function refusal(phone: string, guards: NumberGuards): GuardRefusal | null {
  if (guards.blockedNumbers.includes(phone)) return { refused: 'blocked-number' };
  const prefix = guards.blockedPrefixes.find((p) => phone.startsWith(p));
  if (prefix) return { refused: 'premium-rate', prefix };
  const parsed = parsePhoneNumberFromString(phone);
  if (parsed?.getType() === 'PREMIUM_RATE') return { refused: 'premium-rate', numberType: 'PREMIUM_RATE' };
  if (guards.allowedCountries.length > 0) {
    const country = parsed?.country ?? 'unknown';
    if (!guards.allowedCountries.includes(country)) return { refused: 'country-not-allowed', country };
  }
  return null;
}
