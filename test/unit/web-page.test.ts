// The customer page's pure rules: the proof of work's zero bits, when a closed queue opens next,
// and which of our languages a browser asks for.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { localTime, nextOpening } from '../../domain/opening-hours.js';
import { leadingZeroBits } from '../../domain/proof-of-work.js';
import { fromAcceptLanguage, t } from '../../web/i18n.js';

describe('leadingZeroBits', () => {
  it('counts the zero bits a digest starts with', () => {
    expect(leadingZeroBits(new Uint8Array([0x80, 0]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01, 0xff]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0x10]))).toBe(11);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
    // The browser's and the server's SHA-256 agree on a found nonce.
    const digest = createHash('sha256')
      .update('salt' + '0')
      .digest();
    expect(leadingZeroBits(digest)).toBe(digest[0]!.toString(2).padStart(8, '0').indexOf('1'));
  });
});

describe('nextOpening', () => {
  const weekdays = {
    monday: [{ from: '08:00', to: '17:00' }],
    friday: [
      { from: '13:00', to: '15:00' },
      { from: '09:00', to: '11:00' },
    ],
  };
  const zone = 'Europe/Stockholm';
  /** As the page shows it: the local date, weekday and time in the queue's zone. */
  const opens = (openingHours: typeof weekdays | object, at: Date) => {
    const next = nextOpening({ timeZone: zone, openingHours, holidays: [] }, at);
    return next && localTime(next, zone);
  };

  it('is later today before the first period, and the next open day after the last', () => {
    // Monday 1 December 2025, 07:00 in Stockholm (06:00 UTC).
    expect(opens(weekdays, new Date('2025-12-01T06:00:00Z'))).toEqual({ date: '2025-12-01', weekday: 'monday', time: '08:00' });
    // Monday 18:00: Friday's first period, whatever order the periods are listed in.
    expect(opens(weekdays, new Date('2025-12-01T17:00:00Z'))).toEqual({ date: '2025-12-05', weekday: 'friday', time: '09:00' });
    // Friday 12:00: the afternoon period.
    expect(opens(weekdays, new Date('2025-12-05T11:00:00Z'))).toEqual({ date: '2025-12-05', weekday: 'friday', time: '13:00' });
  });

  it('reads the day in the queue’s zone, and is null for a queue that never opens', () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Stockholm.
    expect(opens(weekdays, new Date('2025-11-30T23:30:00Z'))?.date).toBe('2025-12-01');
    expect(opens({}, new Date())).toBeNull();
  });
});

describe('languages', () => {
  it("takes the browser's most wanted language that we speak", () => {
    expect(fromAcceptLanguage('sv-SE,sv;q=0.9,en;q=0.8')).toBe('sv');
    expect(fromAcceptLanguage('de-DE, en;q=0.5, sv;q=0.7')).toBe('sv');
    expect(fromAcceptLanguage('en-GB')).toBe('en');
    expect(fromAcceptLanguage('fr, de')).toBeNull();
    expect(fromAcceptLanguage('sv;q=0, en;q=0.1')).toBe('en');
    expect(fromAcceptLanguage(undefined)).toBeNull();
  });

  it('fills in placeholders in either language', () => {
    expect(t('en', 'status.expectedWait', { minutes: 4 })).toBe('Expected wait for a call now: about 4 minutes.');
    expect(t('sv', 'status.expectedWait', { minutes: 4 })).toBe('Förväntad väntetid om vi ringer nu: cirka 4 minuter.');
  });
});
