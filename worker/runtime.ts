// The Temporal SDK's process-wide runtime, installed before any connection. Its logger writes
// through the process's pino logger (the SDK's lines at LOG_LEVEL, the Core's forwarded, workflow
// and activity logs with their ids); with `metricsAddress`, the SDK's own Prometheus exporter
// (task slots, schedule-to-start latency, sticky cache ...) listens there, and the worker's
// /metrics serves it along with the service's metrics.
import { Runtime, type LogLevel } from '@temporalio/worker';
import { log } from '../telemetry/log.js';
import { temporalLogger } from '../telemetry/temporal-logger.js';

export function installRuntime(level: LogLevel, options: { metricsAddress?: string } = {}): void {
  Runtime.install({
    logger: temporalLogger(log, level),
    telemetryOptions: {
      logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
      ...(options.metricsAddress
        ? { metrics: { prometheus: { bindAddress: options.metricsAddress, useSecondsForDurations: true, countersTotalSuffix: true } } }
        : {}),
    },
  });
}
