// What the API's routers need from the process.
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/connect.js';
import type { TargetPolicy } from '../domain/network-address.js';
import type { Authenticate } from './access.js';
import type { TokenSigner } from './self-service-token.js';
import type { TemporalWaits } from './temporal-wait.js';
import type { TrafficRules } from './traffic.js';

export interface ApiDeps {
  sql: Sql;
  /** Who holds a presented API key; the keys in `sql` unless given (router tests give their own). */
  authenticate?: Authenticate;
  temporal: Client;
  /** Every request's wait on Temporal goes through it, so that none hangs. */
  waits: TemporalWaits;
  /** The Retry-After of a 503. */
  retryAfterSeconds: number;
  taskQueue: string;
  /** For phone numbers given without a country code. */
  defaultCountry: string;
  traffic: TrafficRules;
  /** Signs and checks the customers' self-service tokens. */
  tokens: TokenSigner;
  /** Which webhook URLs inside the network may be subscribed (WEBHOOK_ALLOWED_PRIVATE_HOSTS). */
  webhookTargets: TargetPolicy;
}
