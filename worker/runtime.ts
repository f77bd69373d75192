// The Temporal SDK's process-wide runtime, installed before any connection: the worker's
// informational lines (bundling, state changes) at LOG_LEVEL, warnings and errors always.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export function installRuntime(level: LogLevel): void {
  Runtime.install({ logger: new DefaultLogger(level) });
}
