// The Temporal SDK's logger (the Runtime's: the SDK's own lines, the Core's forwarded ones, and
// workflow and activity logs, which reach it through the SDK's logger sinks) written through
// pino, with the workflow's id, the record's or the gate's queue, and the SDK's level filter.
import type { Logger as PinoLogger } from 'pino';

type SdkLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
const ORDER: SdkLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
const PINO: Record<SdkLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The fields our lines use, from the SDK's metadata (workflowId, workflowType, activityType ...). */
export function sdkFields(meta: Record<string, unknown> = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...meta };
  const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
  if (workflowId?.startsWith('gate:')) fields.queue ??= workflowId.slice('gate:'.length);
  else if (workflowId && meta.workflowType === 'callbackRecord') fields.recordId ??= workflowId;
  // Core's forwarded lines carry their own timestamp; pino's is the line's.
  delete fields.timestamp;
  return fields;
}

export function temporalLogger(pino: () => PinoLogger, level: SdkLevel) {
  const min = ORDER.indexOf(level);
  const write = (lvl: SdkLevel, message: string, meta?: Record<string, unknown>) => {
    if (ORDER.indexOf(lvl) < min) return;
    pino()[PINO[lvl]]({ source: 'temporal', ...sdkFields(meta) }, message);
  };
  return {
    log: (lvl: SdkLevel, message: string, meta?: Record<string, unknown>) => write(lvl, message, meta),
    trace: (message: string, meta?: Record<string, unknown>) => write('TRACE', message, meta),
    debug: (message: string, meta?: Record<string, unknown>) => write('DEBUG', message, meta),
    info: (message: string, meta?: Record<string, unknown>) => write('INFO', message, meta),
    warn: (message: string, meta?: Record<string, unknown>) => write('WARN', message, meta),
    error: (message: string, meta?: Record<string, unknown>) => write('ERROR', message, meta),
  };
}
