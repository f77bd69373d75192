// What the API's routers need from the process.
import type { TargetPolicy } from '../domain/network-address.js';
import type { ServiceDeps } from '../services/deps.js';
import type { SignOn } from '../services/oidc.js';
import type { PeopleRules } from '../services/people.js';
import type { TokenSigner } from '../services/self-service-token.js';
import type { Authenticate } from './access.js';
import type { AgentEvents } from './agent-events.js';
import type { CodecEndpoint } from './codec.js';
import type { TrafficRules } from './traffic.js';
import type { Readiness } from '../telemetry/health.js';
import type { TelephonyApi } from './telephony.js';

export interface ApiDeps extends ServiceDeps {
  /** Who holds a presented API key; the keys in `sql` unless given (router tests give their own). */
  authenticate?: Authenticate;
  /** The Retry-After of a 503. */
  retryAfterSeconds: number;
  /** For phone numbers given without a country code. */
  defaultCountry: string;
  traffic: TrafficRules;
  /** Signs and checks the customers' self-service tokens. */
  tokens: TokenSigner;
  /** Which webhook URLs inside the network may be subscribed (WEBHOOK_ALLOWED_PRIVATE_HOSTS). */
  webhookTargets: TargetPolicy;
  /** /readyz: PostgreSQL, Temporal, migrations, shutting down (ready when absent: router tests). */
  readiness?: () => Promise<Readiness>;
  /** Real telephony's status callbacks; null or absent with the simulator. */
  telephony?: TelephonyApi | null;
  /** The Temporal Web UI's codec endpoint (/codec); not served without it. */
  codec?: CodecEndpoint;
  /** Sessions and sign-in lockout; the defaults when not given (router tests). */
  people?: PeopleRules;
  /** The process's one LISTEN for presence changes, behind the event streams; made on first use when absent. */
  agentEvents?: AgentEvents;
  /** The customer page's proof-of-work difficulty (WEB_CHALLENGE_BITS); web/'s default when not given. */
  webChallengeBits?: number;
  /** The Temporal Web UI and namespace the admin console links records to; no link without it. */
  temporalUi?: { url: string; namespace: string };
  /** Single sign-on, when configured (OIDC_ISSUER). */
  signOn?: { client: SignOn; redirectUri?: string; afterSignInUrl: string };
}
