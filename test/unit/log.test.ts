// The log's protection of personal data and secrets, and its context fields.
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger, scrub, withLogContext } from '../../telemetry/log.js';
import { sdkFields } from '../../telemetry/temporal-logger.js';

function capture() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

it('scrubs phone numbers in any spelling, API keys, bearer credentials and self-service tokens', () => {
  for (const [given, expected] of [
    ['call +46701234567 now', 'call [phone] now'],
    ['call +46 70 123 45 67', 'call [phone]'],
    ['070-123 45 67.', '[phone].'],
    ['(070) 1234567', '[phone]'],
    ['key cbk_0123456789abcdef_secretSECRET-_x', `key cbk_[redacted]`],
    ['authorization: Bearer abc.def', 'authorization: Bearer [redacted]'],
    ['token 123e4567-e89b-12d3-a456-426614174000.1798761600.AbCdEfGhIjKlMnOpQrStUv', 'token [redacted]'],
  ]) {
    expect(scrub(given!)).toBe(expected);
  }
  // What must stay readable: ids, instants, short numbers.
  for (const kept of [
    '123e4567-e89b-12d3-a456-426614174000',
    '2026-11-26T10:00:00.000Z',
    'PUT /v1/queues/q/holidays/2026-12-24',
    'attempt 3 of 12',
    'seq 1234',
    'took 105 ms',
  ]) {
    expect(scrub(kept)).toBe(kept);
  }
});

it('writes one JSON line per event, with the context, keys redacted at any depth and errors scrubbed', () => {
  const { lines, logger } = capture();
  withLogContext({ requestId: 'r-1', recordId: 'rec-1' }, () => {
    withLogContext({ queue: 'support' }, () => {
      logger.info(
        {
          phone: '+46701234567',
          record: { phone: '+46701234567', ani: '0701234567', contact: { comment: 'ring 0701234567' } },
          headers: { authorization: 'Bearer x' },
        },
        'created for %s',
        '+46701234567',
      );
      logger.error({ err: new Error('duplicate key (phone)=(+46701234567)') }, 'failed');
    });
  });
  logger.warn('outside any context');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({
    level: 'info',
    requestId: 'r-1',
    recordId: 'rec-1',
    queue: 'support',
    phone: '[redacted]',
    record: { phone: '[redacted]', ani: '[redacted]', contact: { comment: 'ring [phone]' } },
    headers: { authorization: '[redacted]' },
    msg: 'created for [phone]',
  });
  expect(lines[1]).toMatchObject({ level: 'error', err: { type: 'Error', message: 'duplicate key (phone)=([phone])' } });
  expect(lines[1]!.err.stack).not.toContain('46701234567');
  expect(lines[2]).not.toHaveProperty('requestId');
  expect(JSON.stringify(lines)).not.toMatch(/46701234567|701234567/);
});

it("names the record and the gate's queue in the Temporal SDK's lines", () => {
  expect(sdkFields({ workflowId: 'abc', workflowType: 'callbackRecord', runId: 'r' })).toMatchObject({
    recordId: 'abc',
    workflowId: 'abc',
  });
  expect(sdkFields({ workflowId: 'gate:support', workflowType: 'queueGate' })).toMatchObject({ queue: 'support' });
  expect(sdkFields({ workflowId: 'x', workflowType: 'other' })).not.toHaveProperty('recordId');
});
