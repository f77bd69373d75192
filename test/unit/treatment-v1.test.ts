import { describe, expect, it } from 'vitest';
import { DEFAULT_TREATMENT, decide, type Treatment } from '../../workflows/treatment-v1.js';

describe('decide', () => {
  it('closes a completed call whatever the attempts', () => {
    expect(decide('completed', 1)).toEqual({ action: 'close', reason: 'completed' });
  });

  it.each(['busy', 'no-answer', 'answering-machine'] as const)('postpones %s by its delay before the last attempt', (outcome) => {
    const rule = DEFAULT_TREATMENT.onOutcome[outcome];
    expect(rule?.action).toBe('postpone');
    expect(decide(outcome, 1)).toEqual(rule);
    expect(decide(outcome, 2)).toEqual(rule);
  });

  it.each(['busy', 'no-answer', 'answering-machine', 'customer-not-reached'] as const)(
    'closes %s as too many attempts at the third attempt',
    (outcome) => {
      expect(decide(outcome, 3)).toEqual({ action: 'close', reason: 'too-many-attempts' });
    },
  );

  it('closes an invalid number at once', () => {
    expect(decide('invalid-number', 1)).toEqual({ action: 'close', reason: 'invalid-number' });
  });

  it('follows a given treatment rather than the defaults', () => {
    const treatment: Treatment = { maxAttempts: 5, onOutcome: { busy: { action: 'postpone', delayMinutes: 0 } } };
    expect(decide('busy', 4, treatment)).toEqual({ action: 'postpone', delayMinutes: 0 });
    expect(decide('busy', 5, treatment)).toEqual({ action: 'close', reason: 'too-many-attempts' });
  });
});
