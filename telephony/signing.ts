// The generic gateway's signatures, the scheme of our webhooks: `v1=<hex HMAC-SHA256 of
// "<timestamp>.<raw body>">`, keyed with the shared secret's UTF-8 bytes, with a unix-seconds timestamp.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'telephony-timestamp';
export const SIGNATURE_HEADER = 'telephony-signature';

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: sign(secret, timestamp, body) };
}

/** The raw body exactly as received; a timestamp further than `toleranceSeconds` from now is refused (replays). */
export function verify(
  secret: string,
  { timestamp, signature }: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const given = Buffer.from(String(signature ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
