import { describe, expect, it } from 'vitest';
import { compareInLine, placeInLine, type InLine } from '../../domain/gate-order.js';

/** Joins each newcomer the way the gate does and returns the line's names in serving order. */
function line(...arrivals: (InLine & { name: string })[]): string[] {
  const served: (InLine & { name: string })[] = [];
  for (const a of arrivals) served.splice(placeInLine(served, a), 0, a);
  return served.map((w) => w.name);
}

describe('the order a gate serves its waiters in', () => {
  it('serves the most urgent priority first, whatever its place in line', () => {
    expect(
      line(
        { name: 'late-urgent', priority: 1, rankAt: '2026-01-01T12:00:00Z' },
        { name: 'early-normal', priority: 5, rankAt: '2026-01-01T08:00:00Z' },
        { name: 'earliest-least', priority: 9, rankAt: '2026-01-01T00:00:00Z' },
      ),
    ).toEqual(['late-urgent', 'early-normal', 'earliest-least']);
  });

  it('serves the earlier place in line first within a priority, comparing instants, not strings', () => {
    expect(
      line(
        { name: 'ten-utc', priority: 5, rankAt: '2026-01-01T10:00:00Z' },
        { name: 'nine-utc', priority: 5, rankAt: '2026-01-01T11:00:00+02:00' },
        { name: 'nine-thirty-utc', priority: 5, rankAt: '2026-01-01T09:30:00.000Z' },
      ),
    ).toEqual(['nine-utc', 'nine-thirty-utc', 'ten-utc']);
  });

  it('serves equals in the order they asked', () => {
    const same = { priority: 3, rankAt: '2026-01-01T10:00:00Z' };
    expect(line({ name: 'a', ...same }, { name: 'b', ...same }, { name: 'c', ...same })).toEqual(['a', 'b', 'c']);
  });

  it('puts an unreadable place in line at the back of its priority', () => {
    expect(
      line(
        { name: 'unreadable', priority: 5, rankAt: 'not a time' },
        { name: 'readable', priority: 5, rankAt: '2030-01-01T00:00:00Z' },
        { name: 'less-urgent', priority: 6, rankAt: '2020-01-01T00:00:00Z' },
      ),
    ).toEqual(['readable', 'unreadable', 'less-urgent']);
    expect(compareInLine({ priority: 5, rankAt: 'x' }, { priority: 5, rankAt: 'y' })).toBe(0);
  });
});
