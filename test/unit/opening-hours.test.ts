import { describe, expect, it } from 'vitest';
import { localTime, openingAt } from '../../domain/opening-hours.js';

const weekdays = {
  monday: [
    { from: '08:00', to: '12:00' },
    { from: '13:00', to: '17:00' },
  ],
};

describe('opening hours in the queue time zone', () => {
  it('reads the local weekday and time, whatever the server zone', () => {
    // Monday 2026-03-02 07:30 UTC is 08:30 in Stockholm and 02:30 in New York.
    const at = new Date('2026-03-02T07:30:00Z');
    expect(localTime(at, 'Europe/Stockholm')).toEqual({ date: '2026-03-02', weekday: 'monday', time: '08:30' });
    expect(localTime(at, 'America/New_York')).toEqual({ date: '2026-03-02', weekday: 'monday', time: '02:30' });
    expect(localTime(new Date('2026-03-01T23:30:00Z'), 'Asia/Tokyo').weekday).toBe('monday');
  });

  it('is open from the start of a period until just before its end, and closed at lunch', () => {
    const at = (utc: string) => openingAt(weekdays, 'Europe/Stockholm', new Date(utc)).openNow;
    expect(at('2026-03-02T06:59:00Z')).toBe(false); // 07:59
    expect(at('2026-03-02T07:00:00Z')).toBe(true); // 08:00
    expect(at('2026-03-02T10:59:00Z')).toBe(true); // 11:59
    expect(at('2026-03-02T11:00:00Z')).toBe(false); // 12:00
    expect(at('2026-03-02T12:30:00Z')).toBe(true); // 13:30
    expect(at('2026-03-03T08:00:00Z')).toBe(false); // a Tuesday
  });

  it('follows daylight saving time: 08:00 local is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    expect(openingAt(weekdays, 'Europe/Stockholm', new Date('2026-06-01T06:00:00Z')).openNow).toBe(true);
    expect(openingAt(weekdays, 'Europe/Stockholm', new Date('2026-03-02T06:00:00Z')).openNow).toBe(false);
    expect(openingAt(weekdays, 'Europe/Stockholm', new Date('2026-06-01T06:00:00Z')).today).toEqual(weekdays.monday);
  });
});
