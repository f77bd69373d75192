import { describe, expect, it } from 'vitest';
import { localTime, nextOpening, openingAt, OPENING_HORIZON_DAYS, type BusinessHours } from '../../domain/opening-hours.js';
import { holiday, holidayDay } from '../../domain/holidays.js';

const weekdays = {
  monday: [
    { from: '08:00', to: '12:00' },
    { from: '13:00', to: '17:00' },
  ],
};
const stockholm = (openingHours: BusinessHours['openingHours'], holidays: BusinessHours['holidays'] = []): BusinessHours => ({
  timeZone: 'Europe/Stockholm',
  openingHours,
  holidays,
});
const WORKDAY = [{ from: '08:00', to: '17:00' }];
const weekdaysOpen = stockholm({ monday: WORKDAY, tuesday: WORKDAY, wednesday: WORKDAY, thursday: WORKDAY, friday: WORKDAY });
const opens = (hours: BusinessHours, utc: string) => nextOpening(hours, new Date(utc))?.toISOString() ?? null;

describe('opening hours in the queue time zone', () => {
  it('reads the local weekday and time, whatever the server zone', () => {
    // Monday 2026-03-02 07:30 UTC is 08:30 in Stockholm and 02:30 in New York.
    const at = new Date('2026-03-02T07:30:00Z');
    expect(localTime(at, 'Europe/Stockholm')).toEqual({ date: '2026-03-02', weekday: 'monday', time: '08:30' });
    expect(localTime(at, 'America/New_York')).toEqual({ date: '2026-03-02', weekday: 'monday', time: '02:30' });
    expect(localTime(new Date('2026-03-01T23:30:00Z'), 'Asia/Tokyo').weekday).toBe('monday');
  });

  it('is open from the start of a period until just before its end, and closed at lunch', () => {
    const at = (utc: string) => openingAt(stockholm(weekdays), new Date(utc)).openNow;
    expect(at('2026-03-02T06:59:00Z')).toBe(false); // 07:59
    expect(at('2026-03-02T07:00:00Z')).toBe(true); // 08:00
    expect(at('2026-03-02T10:59:00Z')).toBe(true); // 11:59
    expect(at('2026-03-02T11:00:00Z')).toBe(false); // 12:00
    expect(at('2026-03-02T12:30:00Z')).toBe(true); // 13:30
    expect(at('2026-03-03T08:00:00Z')).toBe(false); // a Tuesday
  });

  it('follows daylight saving time: 08:00 local is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    expect(openingAt(stockholm(weekdays), new Date('2026-06-01T06:00:00Z')).openNow).toBe(true);
    expect(openingAt(stockholm(weekdays), new Date('2026-03-02T06:00:00Z')).openNow).toBe(false);
    expect(openingAt(stockholm(weekdays), new Date('2026-06-01T06:00:00Z')).today).toEqual(weekdays.monday);
  });
});

describe('the next opening', () => {
  it('is the instant itself while open, and null in opensAt', () => {
    expect(opens(weekdaysOpen, '2026-03-02T09:00:00Z')).toBe('2026-03-02T09:00:00.000Z');
    expect(openingAt(weekdaysOpen, new Date('2026-03-02T09:00:00Z')).opensAt).toBeNull();
  });

  it('is the next morning after closing time, and after lunch at lunch', () => {
    // Monday 17:30 in Stockholm (winter, UTC+1): Tuesday 08:00 = 07:00 UTC.
    expect(opens(weekdaysOpen, '2026-03-02T16:30:00Z')).toBe('2026-03-03T07:00:00.000Z');
    expect(openingAt(stockholm(weekdays), new Date('2026-03-02T11:15:00Z')).opensAt).toBe('2026-03-02T12:00:00.000Z');
  });

  it('skips the weekend: Friday evening opens on Monday morning', () => {
    expect(opens(weekdaysOpen, '2026-03-06T18:00:00Z')).toBe('2026-03-09T07:00:00.000Z');
  });

  it('moves with daylight saving time in Europe/Stockholm, spring and autumn', () => {
    // Clocks go forward on Sunday 2026-03-29: Friday's 08:00 is 07:00 UTC, Monday's is 06:00 UTC.
    expect(opens(weekdaysOpen, '2026-03-27T17:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    // Clocks go back on Sunday 2026-10-25: Friday's 08:00 is 06:00 UTC, Monday's is 07:00 UTC.
    expect(opens(weekdaysOpen, '2026-10-23T17:00:00Z')).toBe('2026-10-26T07:00:00.000Z');
    // A Sunday opening at 01:00 on the spring night: 01:00 is still winter time (00:00 UTC), and a
    // period that starts in the skipped hour (02:30) starts when the wall clock shows 03:30.
    const sunday = (from: string) => stockholm({ sunday: [{ from, to: '12:00' }] });
    expect(opens(sunday('01:00'), '2026-03-28T23:00:00Z')).toBe('2026-03-29T00:00:00.000Z');
    expect(opens(sunday('02:30'), '2026-03-28T23:00:00Z')).toBe('2026-03-29T01:30:00.000Z');
    expect(openingAt(sunday('02:30'), new Date('2026-03-29T01:29:00Z')).openNow).toBe(false);
    expect(openingAt(sunday('02:30'), new Date('2026-03-29T01:30:00Z')).openNow).toBe(true);
  });

  it('keeps a day closed on a holiday, and opens on the next working day', () => {
    const hours = stockholm(weekdaysOpen.openingHours, [{ date: '2026-12-24', closed: true, name: 'Christmas Eve' }]);
    const christmasEve = openingAt(hours, new Date('2026-12-24T09:00:00Z'));
    expect(christmasEve).toMatchObject({ openNow: false, today: [], holiday: { name: 'Christmas Eve' } });
    expect(christmasEve.opensAt).toBe('2026-12-25T07:00:00.000Z');
    // Without the holiday the same instant is open.
    expect(openingAt(weekdaysOpen, new Date('2026-12-24T09:00:00Z')).openNow).toBe(true);
  });

  it("opens a holiday's special hours instead of its weekday's, on a weekend too", () => {
    const hours = stockholm(weekdaysOpen.openingHours, [
      { date: '2026-12-23', periods: [{ from: '10:00', to: '14:00' }] },
      { date: '2026-12-26', periods: [{ from: '12:00', to: '15:00' }], name: 'Boxing Day sale' },
    ]);
    expect(openingAt(hours, new Date('2026-12-23T08:00:00Z')).openNow).toBe(false); // 09:00: not yet
    expect(openingAt(hours, new Date('2026-12-23T08:00:00Z')).opensAt).toBe('2026-12-23T09:00:00.000Z');
    expect(openingAt(hours, new Date('2026-12-23T13:30:00Z')).openNow).toBe(false); // 14:30: closed early
    expect(openingAt(hours, new Date('2026-12-23T13:30:00Z')).today).toEqual([{ from: '10:00', to: '14:00' }]);
    // A Saturday (closed every week) opens at noon.
    expect(opens(hours, '2026-12-25T18:00:00Z')).toBe('2026-12-26T11:00:00.000Z');
  });

  it('runs a period ending at 24:00 to midnight, and on into the next day without a gap', () => {
    const evenings = stockholm({ monday: [{ from: '20:00', to: '24:00' }], tuesday: [{ from: '00:00', to: '06:00' }] });
    expect(openingAt(evenings, new Date('2026-03-02T22:59:00Z')).openNow).toBe(true); // Monday 23:59
    expect(openingAt(evenings, new Date('2026-03-02T23:00:00Z')).openNow).toBe(true); // Tuesday 00:00
    expect(openingAt(evenings, new Date('2026-03-03T05:00:00Z')).openNow).toBe(false); // Tuesday 06:00
    expect(opens(evenings, '2026-03-03T05:00:00Z')).toBe('2026-03-09T19:00:00.000Z');
    const allDay = stockholm({ sunday: [{ from: '00:00', to: '24:00' }] });
    expect(openingAt(allDay, new Date('2026-03-08T22:59:59Z')).openNow).toBe(true); // Sunday 23:59:59
    expect(openingAt(allDay, new Date('2026-03-08T23:00:00Z')).opensAt).toBe('2026-03-14T23:00:00.000Z'); // next Sunday 00:00
  });

  it(`is null when the queue does not open within ${OPENING_HORIZON_DAYS} days`, () => {
    expect(openingAt(stockholm({}), new Date('2026-03-02T09:00:00Z'))).toMatchObject({ openNow: false, opensAt: null });
    // Open on one date only, closed every week: found up to the horizon, not beyond it.
    expect(opens(stockholm({}, [{ date: '2027-03-01', periods: WORKDAY }]), '2026-03-02T09:00:00Z')).toBe('2027-03-01T07:00:00.000Z');
    expect(opens(stockholm({}, [{ date: '2027-06-01', periods: WORKDAY }]), '2026-03-02T09:00:00Z')).toBeNull();
  });
});

describe('a holiday as an administrator sets it', () => {
  it('is closed, or periods in order that do not overlap, with an optional name', () => {
    expect(holidayDay.safeParse({ closed: true, name: 'Midsummer Eve' }).success).toBe(true);
    expect(holidayDay.safeParse({ periods: [{ from: '10:00', to: '24:00' }] }).success).toBe(true);
    expect(holidayDay.safeParse({ closed: false }).success).toBe(false);
    expect(holidayDay.safeParse({ periods: [] }).success).toBe(false);
    expect(holidayDay.safeParse({ periods: [{ from: '14:00', to: '10:00' }] }).success).toBe(false);
    expect(
      holidayDay.safeParse({
        periods: [
          { from: '08:00', to: '12:00' },
          { from: '11:00', to: '13:00' },
        ],
      }).success,
    ).toBe(false);
    expect(holidayDay.safeParse({ closed: true, periods: [{ from: '08:00', to: '12:00' }] }).success).toBe(false);
    expect(holiday.safeParse({ date: '2026-02-30', closed: true }).success).toBe(false);
    expect(holiday.safeParse({ date: '2026-12-24', closed: true }).success).toBe(true);
  });
});
