import { describe, expect, it } from 'vitest';
import { TREATABLE_OUTCOMES, type Outcome } from '../../domain/record.js';
import { completeTreatment, decide, DEFAULT_TREATMENT, type CountedOutcome, type Treatment } from '../../domain/treatment.js';

/** A record that has just had `outcome`, for the `times`th time, on its `attempts`th attempt. */
const after = (outcome: CountedOutcome, times = 1, attempts = 1) => ({
  attempts,
  outcomeCounts: { [outcome]: times } as Partial<Record<Outcome, number>>,
});

const withChanges = (changes: Partial<Treatment>): Treatment => ({ ...DEFAULT_TREATMENT, ...changes });
const postponeAll = (delayMinutes: number) =>
  Object.fromEntries(TREATABLE_OUTCOMES.map((o) => [o, { action: 'postpone', delayMinutes }])) as Treatment['onOutcome'];

describe('decide', () => {
  it.each(['fax-modem', 'invalid-number'] as const)('closes at once where the rule is close, with %s as the reason', (outcome) => {
    expect(decide(outcome, after(outcome))).toEqual({ action: 'close', reason: outcome });
  });

  it('closes by the rule even past the limit of attempts: the reason says what happened', () => {
    expect(decide('invalid-number', after('invalid-number', 1, 3))).toEqual({ action: 'close', reason: 'invalid-number' });
  });

  it('postpones by the rule’s delay, 0 meaning as soon as possible', () => {
    expect(decide('busy', after('busy'))).toEqual({ action: 'postpone', delayMinutes: 5 });
    expect(decide('refused', after('refused'))).toEqual({ action: 'postpone', delayMinutes: 0 });
  });

  it('follows the given set, not the defaults', () => {
    const treatment = withChanges({
      onOutcome: { ...DEFAULT_TREATMENT.onOutcome, busy: { action: 'close' }, 'fax-modem': { action: 'postpone', delayMinutes: 60 } },
    });
    expect(decide('busy', after('busy'), treatment)).toEqual({ action: 'close', reason: 'busy' });
    expect(decide('fax-modem', after('fax-modem'), treatment)).toEqual({ action: 'postpone', delayMinutes: 60 });
  });

  describe('closeAfter', () => {
    const treatment = withChanges({ closeAfter: { 'answering-machine': 2 }, maxAttempts: null });

    it('closes at the Nth occurrence of the outcome, not before', () => {
      expect(decide('answering-machine', after('answering-machine', 1), treatment)).toEqual({ action: 'postpone', delayMinutes: 30 });
      expect(decide('answering-machine', after('answering-machine', 2), treatment)).toEqual({
        action: 'close',
        reason: 'outcome-limit-reached',
        threshold: 2,
      });
    });

    it('counts only the outcome it is set for', () => {
      const record = { attempts: 5, outcomeCounts: { 'answering-machine': 4, busy: 1 } };
      expect(decide('busy', record, treatment)).toEqual({ action: 'postpone', delayMinutes: 5 });
    });

    it('applies to outcomes that do not end an attempt', () => {
      const t = withChanges({ closeAfter: { refused: 3 } });
      expect(decide('refused', after('refused', 2), t)).toEqual({ action: 'postpone', delayMinutes: 0 });
      expect(decide('refused', after('refused', 3), t)).toEqual({ action: 'close', reason: 'outcome-limit-reached', threshold: 3 });
    });

    it('comes before the limit of attempts when both are reached', () => {
      const t = withChanges({ closeAfter: { busy: 3 }, maxAttempts: 3 });
      expect(decide('busy', after('busy', 3, 3), t)).toMatchObject({ reason: 'outcome-limit-reached' });
    });
  });

  describe('maxAttempts', () => {
    const ENDING = [
      'busy',
      'no-answer',
      'answering-machine',
      'telephony-error',
      'customer-not-reached',
      'agent-client-terminated',
    ] as const;

    it.each(ENDING)('closes %s as too many attempts at the last attempt, not before', (outcome) => {
      expect(decide(outcome, after(outcome, 1, 2))).toEqual(DEFAULT_TREATMENT.onOutcome[outcome]);
      expect(decide(outcome, after(outcome, 1, 3))).toEqual({ action: 'close', reason: 'too-many-attempts', threshold: 3 });
    });

    it.each(['refused', 'lost-during-routing'] as const)('does not count %s: no dial was made', (outcome) => {
      expect(decide(outcome, after(outcome, 1, 3))).toEqual({ action: 'postpone', delayMinutes: 0 });
      expect(decide(outcome, after(outcome, 1, 50))).toEqual({ action: 'postpone', delayMinutes: 0 });
    });

    it('does not apply to a re-establish request', () => {
      expect(decide('reestablish-later', after('reestablish-later', 1, 3))).toEqual({ action: 'reschedule' });
    });

    it('is no limit when null', () => {
      const t = withChanges({ maxAttempts: null });
      expect(decide('busy', after('busy', 99, 99), t)).toEqual({ action: 'postpone', delayMinutes: 5 });
    });

    it('follows the given limit', () => {
      const t = withChanges({ maxAttempts: 1 });
      expect(decide('no-answer', after('no-answer', 1, 1), t)).toEqual({ action: 'close', reason: 'too-many-attempts', threshold: 1 });
    });
  });

  describe('reestablish-later', () => {
    it('takes the customer’s time', () => {
      expect(decide('reestablish-later', after('reestablish-later', 7))).toEqual({ action: 'reschedule' });
    });

    it('closes once its threshold is reached', () => {
      const t = withChanges({ closeAfter: { 'reestablish-later': 2 } });
      expect(decide('reestablish-later', after('reestablish-later', 1), t)).toEqual({ action: 'reschedule' });
      expect(decide('reestablish-later', after('reestablish-later', 2), t)).toEqual({
        action: 'close',
        reason: 'outcome-limit-reached',
        threshold: 2,
      });
    });
  });
});

describe('completeTreatment', () => {
  it('keeps a full set as it is', () => {
    const full: Treatment = { onOutcome: postponeAll(9), closeAfter: { busy: 4 }, maxAttempts: null };
    expect(completeTreatment(full)).toEqual(full);
  });

  it('gives an outcome missing from a stored set the default rule, and keeps the others', () => {
    const { 'lost-during-routing': _, ...older } = postponeAll(9);
    const complete = completeTreatment({ onOutcome: older as Treatment['onOutcome'], closeAfter: {}, maxAttempts: 2 });
    expect(complete.onOutcome['lost-during-routing']).toEqual(DEFAULT_TREATMENT.onOutcome['lost-during-routing']);
    expect(complete.onOutcome.busy).toEqual({ action: 'postpone', delayMinutes: 9 });
    expect(complete.maxAttempts).toBe(2);
  });

  it('makes the defaults of an empty set', () => {
    expect(completeTreatment({})).toEqual(DEFAULT_TREATMENT);
  });

  it('keeps null as no limit, and takes the default only when maxAttempts is absent', () => {
    expect(completeTreatment({ maxAttempts: null }).maxAttempts).toBeNull();
    expect(completeTreatment({ closeAfter: {} }).maxAttempts).toBe(DEFAULT_TREATMENT.maxAttempts);
  });

  it('has a rule for every treatable outcome', () => {
    expect(Object.keys(completeTreatment({})).length).toBe(3);
    expect(Object.keys(completeTreatment({}).onOutcome).sort()).toEqual([...TREATABLE_OUTCOMES].sort());
  });

  it('does not let a change to a completed set reach the defaults', () => {
    const t = completeTreatment({});
    t.onOutcome.busy = { action: 'close' };
    expect(DEFAULT_TREATMENT.onOutcome.busy).toEqual({ action: 'postpone', delayMinutes: 5 });
  });
});
