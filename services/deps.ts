// What the services need from the process; the API's dependencies include these.
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/connect.js';
import type { TemporalWaits } from './temporal-wait.js';
import type { ApiMetrics } from '../telemetry/metrics.js';

export interface ServiceDeps {
  sql: Sql;
  temporal: Client;
  /** Every wait on Temporal goes through it, so that none hangs. */
  waits: TemporalWaits;
  /** Where record workflows are started. */
  taskQueue: string;
  /** The API's metrics (records created by channel ...); none in router tests. */
  metrics?: ApiMetrics;
}
