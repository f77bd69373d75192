// The webhook retry schedule and signature: pure functions of the delivery worker.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JITTER, nextAttemptAt, retryDelayMs, signature, type RetryPolicy } from '../../worker/webhook-delivery.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DEFAULTS: RetryPolicy = { baseMs: 5000, maxMs: 10 * MINUTE, giveUpMs: 72 * HOUR };
const noJitter = () => 0;
const mostJitter = () => 0.999_999;

/** Attempt times of a delivery queued at 0 whose receiver fails every attempt before `upAt`, and the time it is delivered (or null). */
function simulate(policy: RetryPolicy, upAt: number, random: () => number = Math.random) {
  const since = new Date(0);
  const attempts: number[] = [];
  let now = 0;
  for (;;) {
    attempts.push(now);
    if (now >= upAt) return { attempts, deliveredAt: now };
    const next = nextAttemptAt(attempts.length, new Date(now), since, policy, random);
    if (!next) return { attempts, deliveredAt: null };
    now = next.getTime();
  }
}

describe('the retry schedule', () => {
  it('starts at the base and doubles with each failure, up to the cap', () => {
    const waits = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1, DEFAULTS, noJitter));
    expect(waits.slice(0, 5)).toEqual([5000, 10_000, 20_000, 40_000, 80_000]);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits.at(-1)).toBe(10 * MINUTE);
    expect(retryDelayMs(10_000, DEFAULTS, noJitter)).toBe(10 * MINUTE);
  });

  it('jitters each wait down by at most 20%, never above the cap', () => {
    expect(JITTER).toBe(0.2);
    for (let n = 1; n <= 30; n++) {
      const full = Math.min(DEFAULTS.maxMs, DEFAULTS.baseMs * 2 ** (n - 1));
      for (let i = 0; i < 50; i++) {
        const wait = retryDelayMs(n, DEFAULTS);
        expect(wait).toBeLessThanOrEqual(full);
        expect(wait).toBeGreaterThanOrEqual(Math.floor(full * (1 - JITTER)));
      }
      expect(retryDelayMs(n, DEFAULTS, mostJitter)).toBe(Math.round(full * (1 - JITTER * 0.999_999)));
    }
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, DEFAULTS)));
    expect(spread.size).toBeGreaterThan(10);
  });

  it('keeps trying for far longer than an hour, so a receiver down an hour (or a day) loses nothing', () => {
    const never = simulate(DEFAULTS, Infinity, mostJitter);
    expect(never.deliveredAt).toBeNull();
    const lastAttempt = never.attempts.at(-1)!;
    expect(lastAttempt).toBeGreaterThan(71 * HOUR);
    expect(lastAttempt).toBeLessThanOrEqual(72 * HOUR);

    for (const downFor of [HOUR, 24 * HOUR, 71 * HOUR]) {
      for (const random of [noJitter, mostJitter, Math.random]) {
        const { deliveredAt } = simulate(DEFAULTS, downFor, random);
        expect(deliveredAt).not.toBeNull();
        // Back up, it is reached within one capped wait.
        expect(deliveredAt! - downFor).toBeLessThanOrEqual(DEFAULTS.maxMs);
      }
    }
  });

  it('gives up when the next attempt would fall after the give-up age, counted from a retry', () => {
    const since = new Date(Date.parse('2025-03-01T00:00:00Z'));
    const policy = { ...DEFAULTS, giveUpMs: HOUR };
    const nearlyOver = new Date(since.getTime() + HOUR - 10 * MINUTE);
    expect(nextAttemptAt(20, nearlyOver, since, policy, noJitter)?.getTime()).toBe(since.getTime() + HOUR);
    expect(nextAttemptAt(20, new Date(nearlyOver.getTime() + 1), since, policy, noJitter)).toBeNull();
    const retriedLater = new Date(since.getTime() + 5 * HOUR);
    expect(nextAttemptAt(1, retriedLater, retriedLater, policy, noJitter)?.getTime()).toBe(retriedLater.getTime() + 5000);
  });
});

describe('the signature', () => {
  const secret = 'whsec_a-test-secret-of-at-least-32-characters';
  const body = JSON.stringify({ id: 'abc:1', type: 'requested', text: 'räksmörgås ✓' });
  const timestamp = 1_740_000_000;

  it('is v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" with the secret', () => {
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.from(`${timestamp}.${body}`, 'utf8'))
      .digest('hex');
    expect(signature(secret, timestamp, body)).toBe(`v1=${expected}`);
    expect(signature(secret, timestamp, body)).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('matches a fixed vector computed elsewhere (Python hmac)', () => {
    // python3 -c "import hmac,hashlib; print(hmac.new(b'Jefe', b'1740000000.what do ya want for nothing?', hashlib.sha256).hexdigest())"
    expect(signature('Jefe', 1_740_000_000, 'what do ya want for nothing?')).toBe(
      'v1=e9e8f9a5a8d0066a8f5f6acdf7b2cd075761dc2594668e8ee66844c328967fe7',
    );
  });

  it('changes with the body, the timestamp and the secret, as a receiver checking it needs', () => {
    const good = signature(secret, timestamp, body);
    const verify = (header: string, t: number, b: string) => {
      const mine = Buffer.from(signature(secret, t, b));
      const theirs = Buffer.from(header);
      return mine.length === theirs.length && timingSafeEqual(mine, theirs);
    };
    expect(verify(good, timestamp, body)).toBe(true);
    expect(verify(good, timestamp + 1, body)).toBe(false);
    expect(verify(good, timestamp, body.replace('abc', 'abd'))).toBe(false);
    expect(signature(`${secret}x`, timestamp, body)).not.toBe(good);
  });
});
