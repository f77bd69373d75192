import { expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';

it('takes the dialler ring time under its former name DIALER_RING_MS, unless DIALLER_RING_MS is set', () => {
  expect(loadConfig({}).DIALLER_RING_MS).toBe(3000);
  expect(loadConfig({ DIALER_RING_MS: '250' }).DIALLER_RING_MS).toBe(250);
  expect(loadConfig({ DIALER_RING_MS: '250', DIALLER_RING_MS: '500' }).DIALLER_RING_MS).toBe(500);
  expect(() => loadConfig({ DIALER_RING_MS: 'soon' })).toThrow(/DIALLER_RING_MS/);
});
