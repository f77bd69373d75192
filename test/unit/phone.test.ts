import { describe, expect, it } from 'vitest';
import { toE164 } from '../../domain/phone.js';
import { simulatedOutcome } from '../../activities/dialler.js';

describe('toE164', () => {
  it('reads a national number in the default country', () => {
    expect(toE164('070-123 45 67', 'SE')).toBe('+46701234567');
    expect(toE164('(212) 555-0123', 'US')).toBe('+12125550123');
  });

  it('keeps an international number whatever the default country', () => {
    expect(toE164('+44 20 7946 0958', 'SE')).toBe('+442079460958');
  });

  it('rejects what is no phone number', () => {
    expect(toE164('12', 'SE')).toBeNull();
    expect(toE164('call me', 'SE')).toBeNull();
    expect(toE164('+46 70 123 45 67 89 01 23', 'SE')).toBeNull();
  });
});

describe('simulated dialler test numbers', () => {
  it('decides the outcome from the last four digits', () => {
    expect(simulatedOutcome('+46700000001')).toBe('busy');
    expect(simulatedOutcome('+46700000002')).toBe('no-answer');
    expect(simulatedOutcome('+46700000003')).toBe('answering-machine');
    expect(simulatedOutcome('+46700000004')).toBe('invalid-number');
    expect(simulatedOutcome('+46701234567')).toBe('answered');
  });
});
