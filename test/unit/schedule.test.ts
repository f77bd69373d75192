// Appointment slots from a weekly pattern, exception dates and a time zone: daylight saving days
// in Stockholm and New York, zones other than the server's, holidays, and the booking rules.
import { afterEach, describe, expect, it } from 'vitest';
import {
  instantsOf,
  missingIdentification,
  notBookableBecause,
  slotsBetween,
  slotsOn,
  slotStartingAt,
  type BookingRules,
  type SchedulePattern,
} from '../../domain/schedule.js';
import { timingOf } from '../../domain/record-timing.js';

const every = (periods: { from: string; to: string }[], minutesPerAppointment: number) => ({
  monday: { periods, minutesPerAppointment },
  tuesday: { periods, minutesPerAppointment },
  wednesday: { periods, minutesPerAppointment },
  thursday: { periods, minutesPerAppointment },
  friday: { periods, minutesPerAppointment },
  saturday: { periods, minutesPerAppointment },
  sunday: { periods, minutesPerAppointment },
});
const pattern = (timeZone: string, week: SchedulePattern['week'], exceptions: SchedulePattern['exceptions'] = []): SchedulePattern => ({
  timeZone,
  week,
  exceptions,
});
const starts = (p: SchedulePattern, date: string) => slotsOn(p, date).map((s) => s.start);
const localStarts = (p: SchedulePattern, date: string) => slotsOn(p, date).map((s) => s.localStart);

describe('Europe/Stockholm', () => {
  it('spring forward (2026-03-29): local times from 02:00 to 02:59 do not exist and give no slot', () => {
    const p = pattern('Europe/Stockholm', every([{ from: '01:00', to: '04:00' }], 30));
    expect(localStarts(p, '2026-03-29')).toEqual([
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T01:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T03:30:00+02:00',
    ]);
    expect(starts(p, '2026-03-29')).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
    // The 01:30 appointment lasts its 30 real minutes and ends when the clocks show 03:00.
    expect(slotsOn(p, '2026-03-29')[1]).toMatchObject({
      end: '2026-03-29T01:00:00.000Z',
      localEnd: '2026-03-29T03:00:00+02:00',
      minutes: 30,
    });
    expect(instantsOf('2026-03-29', 2 * 60 + 30, 'Europe/Stockholm')).toEqual([]);
  });

  it('fall back (2026-10-25): the repeated hour gives a slot at each real instant', () => {
    const p = pattern('Europe/Stockholm', every([{ from: '01:00', to: '04:00' }], 60));
    expect(slotsOn(p, '2026-10-25').map((s) => [s.localStart, s.start])).toEqual([
      ['2026-10-25T01:00:00+02:00', '2026-10-24T23:00:00.000Z'],
      ['2026-10-25T02:00:00+02:00', '2026-10-25T00:00:00.000Z'],
      ['2026-10-25T02:00:00+01:00', '2026-10-25T01:00:00.000Z'],
      ['2026-10-25T03:00:00+01:00', '2026-10-25T02:00:00.000Z'],
    ]);
    for (const s of slotsOn(p, '2026-10-25')) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(3_600_000);
  });

  it('an all-day pattern of hourly slots has 23 slots on spring-forward day, 25 on fall-back day, 24 otherwise', () => {
    const p = pattern('Europe/Stockholm', every([{ from: '00:00', to: '24:00' }], 60));
    expect(slotsOn(p, '2026-03-29')).toHaveLength(23);
    expect(slotsOn(p, '2026-10-25')).toHaveLength(25);
    expect(slotsOn(p, '2026-06-14')).toHaveLength(24);
    // Consecutive days join up with neither gaps nor overlaps, across both changes.
    for (const from of ['2026-03-28', '2026-10-24']) {
      const slots = slotsBetween(p, from, 3);
      for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toBe(slots[i - 1]!.end);
    }
  });

  it('09:00 is 08:00 UTC in winter and 07:00 UTC in summer', () => {
    const p = pattern('Europe/Stockholm', { monday: { periods: [{ from: '09:00', to: '10:00' }], minutesPerAppointment: 60 } });
    expect(starts(p, '2026-03-23')).toEqual(['2026-03-23T08:00:00.000Z']);
    expect(starts(p, '2026-03-30')).toEqual(['2026-03-30T07:00:00.000Z']);
  });
});

describe('America/New_York', () => {
  it('spring forward (2026-03-08): 02:00 does not exist', () => {
    const p = pattern('America/New_York', every([{ from: '01:00', to: '04:00' }], 60));
    expect(slotsOn(p, '2026-03-08').map((s) => [s.localStart, s.start])).toEqual([
      ['2026-03-08T01:00:00-05:00', '2026-03-08T06:00:00.000Z'],
      ['2026-03-08T03:00:00-04:00', '2026-03-08T07:00:00.000Z'],
    ]);
  });

  it('fall back (2026-11-01): 01:00 to 01:59 happen twice, in EDT and then in EST', () => {
    const p = pattern('America/New_York', every([{ from: '00:00', to: '03:00' }], 30));
    expect(slotsOn(p, '2026-11-01').map((s) => s.localStart)).toEqual([
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T00:30:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-01T01:00:00-05:00',
      '2026-11-01T01:30:00-05:00',
      '2026-11-01T02:00:00-05:00',
      '2026-11-01T02:30:00-05:00',
    ]);
    expect(starts(p, '2026-11-01')[4]).toBe('2026-11-01T06:00:00.000Z');
  });
});

describe('a schedule in another zone than the server', () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  it('gives the same instants whatever the process time zone', () => {
    const p = pattern('Asia/Tokyo', every([{ from: '09:00', to: '11:00' }], 30), [{ date: '2026-05-05', closed: true }]);
    const serverHours: number[] = [];
    const results = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Europe/Stockholm'].map((tz) => {
      process.env.TZ = tz;
      serverHours.push(new Date('2026-05-04T00:00:00Z').getHours());
      return slotsBetween(p, '2026-05-04', 3);
    });
    expect(serverHours).toEqual([0, 17, 14, 2]); // the process's own zone did change
    // Tokyo has no daylight saving: 09:00 there is 00:00 UTC.
    expect(results[0]!.map((s) => s.start)).toEqual([
      '2026-05-04T00:00:00.000Z',
      '2026-05-04T00:30:00.000Z',
      '2026-05-04T01:00:00.000Z',
      '2026-05-04T01:30:00.000Z',
      '2026-05-06T00:00:00.000Z',
      '2026-05-06T00:30:00.000Z',
      '2026-05-06T01:00:00.000Z',
      '2026-05-06T01:30:00.000Z',
    ]);
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it("reads the weekday in the schedule's zone: Monday in Auckland is still Sunday in UTC", () => {
    const p = pattern('Pacific/Auckland', { monday: { periods: [{ from: '08:00', to: '09:00' }], minutesPerAppointment: 60 } });
    expect(slotsOn(p, '2026-06-15')).toEqual([
      {
        start: '2026-06-14T20:00:00.000Z',
        end: '2026-06-14T21:00:00.000Z',
        localStart: '2026-06-15T08:00:00+12:00',
        localEnd: '2026-06-15T09:00:00+12:00',
        date: '2026-06-15',
        minutes: 60,
      },
    ]);
    expect(slotStartingAt(p, new Date('2026-06-14T20:00:00Z'))?.date).toBe('2026-06-15');
  });
});

describe('the weekly pattern and exception dates', () => {
  const week = {
    monday: {
      periods: [
        { from: '08:00', to: '09:00' },
        { from: '13:00', to: '14:00' },
      ],
      minutesPerAppointment: 20,
    },
    tuesday: { periods: [{ from: '08:00', to: '10:00' }], minutesPerAppointment: 45 },
  };

  it("cuts each period into appointments of its weekday's minutes; a remainder too short is no slot", () => {
    const p = pattern('UTC', week);
    expect(slotsOn(p, '2026-06-15').map((s) => s.localStart.slice(11, 16))).toEqual(['08:00', '08:20', '08:40', '13:00', '13:20', '13:40']);
    expect(slotsOn(p, '2026-06-16').map((s) => [s.localStart.slice(11, 16), s.minutes])).toEqual([
      ['08:00', 45],
      ['08:45', 45],
    ]);
    expect(slotsOn(p, '2026-06-17')).toEqual([]);
  });

  it('a holiday has no slots; a day with other hours has those, with its own minutes', () => {
    const p = pattern('Europe/Stockholm', week, [
      { date: '2026-12-21', closed: true, note: 'Christmas week' },
      { date: '2026-12-22', periods: [{ from: '10:00', to: '11:00' }], minutesPerAppointment: 30 },
      { date: '2026-12-26', periods: [{ from: '10:00', to: '10:30' }], minutesPerAppointment: 30 },
    ]);
    expect(slotsOn(p, '2026-12-21')).toEqual([]);
    expect(slotsOn(p, '2026-12-22').map((s) => s.localStart)).toEqual(['2026-12-22T10:00:00+01:00', '2026-12-22T10:30:00+01:00']);
    // A Saturday with no weekly hours opens for its exception.
    expect(slotsOn(p, '2026-12-26').map((s) => s.start)).toEqual(['2026-12-26T09:00:00.000Z']);
    expect(slotsBetween(p, '2026-12-21', 7).map((s) => s.date)).toEqual(['2026-12-22', '2026-12-22', '2026-12-26']);
  });

  it('finds the slot that starts at an instant, and none off the pattern', () => {
    const p = pattern('Europe/Stockholm', week, [{ date: '2026-06-22', closed: true }]);
    expect(slotStartingAt(p, new Date('2026-06-15T06:20:00Z'))?.localStart).toBe('2026-06-15T08:20:00+02:00');
    expect(slotStartingAt(p, new Date('2026-06-15T06:10:00Z'))).toBeNull(); // not aligned
    expect(slotStartingAt(p, new Date('2026-06-15T07:00:00Z'))).toBeNull(); // 09:00, after the period
    expect(slotStartingAt(p, new Date('2026-06-22T06:00:00Z'))).toBeNull(); // a holiday
    const fallBack = pattern('America/New_York', every([{ from: '01:00', to: '02:00' }], 60));
    expect(slotStartingAt(fallBack, new Date('2026-11-01T06:00:00Z'))?.localStart).toBe('2026-11-01T01:00:00-05:00');
  });
});

describe('booking rules', () => {
  const rules: BookingRules = {
    ...pattern('America/New_York', every([{ from: '00:00', to: '24:00' }], 60)),
    horizonDays: 2,
    minimumNoticeMinutes: 90,
  };
  const now = new Date('2026-06-15T12:00:00Z'); // 08:00 in New York, Monday 2026-06-15
  const slot = (utc: string) => slotStartingAt(rules, new Date(utc))!;

  it("needs the minimum notice, and counts the horizon in the schedule's local dates", () => {
    expect(notBookableBecause(rules, slot('2026-06-15T11:00:00Z'), now)).toBe('too-soon');
    expect(notBookableBecause(rules, slot('2026-06-15T13:00:00Z'), now)).toBe('too-soon');
    expect(notBookableBecause(rules, slot('2026-06-15T14:00:00Z'), now)).toBeNull();
    // The last bookable date is 2026-06-17 in New York, which ends at 04:00 UTC on the 18th.
    expect(notBookableBecause(rules, slot('2026-06-18T03:00:00Z'), now)).toBeNull();
    expect(notBookableBecause(rules, slot('2026-06-18T04:00:00Z'), now)).toBe('beyond-horizon');
  });

  it('asks for the identification the schedule requires', () => {
    expect(missingIdentification('none', {})).toEqual([]);
    expect(missingIdentification('customer-id', { phone: '+46701234567' })).toEqual(['customerId']);
    expect(missingIdentification('customer-id', { customerId: '1234' })).toEqual([]);
    expect(missingIdentification('customer-id-and-phone', { customerId: '1234', phone: null })).toEqual(['phone']);
    expect(missingIdentification('customer-id-and-phone', {})).toEqual(['customerId', 'phone']);
  });
});

describe('the timing agents see', () => {
  const now = new Date('2026-06-15T10:00:00Z');
  const at = (dueAt: string, stage = 'waiting' as const) => ({ dueAt, stage });

  it('an appointment is upcoming before its slot, due during it, overdue once it has ended untaken', () => {
    const end = '2026-06-15T10:30:00Z';
    expect(timingOf(at('2026-06-15T10:15:00Z'), '2026-06-15T10:45:00Z', now)).toBe('upcoming');
    expect(timingOf(at('2026-06-15T10:00:00Z'), end, now)).toBe('due');
    expect(timingOf({ dueAt: '2026-06-15T09:45:00Z', stage: 'offered' }, '2026-06-15T10:00:00Z', now)).toBe('overdue');
    // A retry postponed past the slot's end is late for its appointment.
    expect(timingOf(at('2026-06-15T10:05:00Z'), '2026-06-15T09:55:00Z', now)).toBe('overdue');
    // An agent has it: it is being handled, not late.
    expect(timingOf({ dueAt: '2026-06-15T09:00:00Z', stage: 'connected' }, '2026-06-15T09:30:00Z', now)).toBe('due');
  });

  it('a record without appointment is overdue 30 minutes after its calling time', () => {
    expect(timingOf(at('2026-06-15T11:00:00Z'), null, now)).toBe('upcoming');
    expect(timingOf({ dueAt: '2026-06-15T09:31:00Z', stage: 'due' }, null, now)).toBe('due');
    expect(timingOf({ dueAt: '2026-06-15T09:30:00Z', stage: 'offered' }, null, now)).toBe('overdue');
  });
});
