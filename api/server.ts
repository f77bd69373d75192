// Serves the API over HTTP with its own Temporal client.
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { temporalConnectionOptions, temporalDataConverterOf, type Config } from '../config/index.js';
import type { Sql } from '../db/connect.js';
import { createApp } from './app.js';
import { tokenSigner } from '../services/self-service-token.js';
import { temporalWaits } from '../services/temporal-wait.js';
import { databaseChecks } from '../db/migrate.js';
import { runChecks } from '../telemetry/health.js';
import { apiMetrics } from '../telemetry/metrics.js';
import { telephonyFromConfig } from '../telephony/index.js';
import { oidcSignOn } from '../services/oidc.js';
import { createAgentEvents } from './agent-events.js';

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export async function startApi(config: Config, sql: Sql, options: { address?: string } = {}): Promise<RunningApi> {
  const connection = await Connection.connect(temporalConnectionOptions(config, options.address));
  const dataConverter = temporalDataConverterOf(config);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const waits = temporalWaits(temporal, config.TEMPORAL_WAIT_MS);
  let stopping = false;
  const readiness = () =>
    runChecks({
      accepting: async () => {
        if (stopping) throw new Error('shutting down');
      },
      ...databaseChecks(sql),
      // Through the waits, so that shutting down never closes the connection under this call.
      temporal: async () => {
        await waits.within(() => temporal.workflowService.getSystemInfo({}));
      },
    });
  const engine = telephonyFromConfig(config, sql, temporal);
  const agentEvents = createAgentEvents(sql, config.AGENT_STREAM_KEEPALIVE_MS);
  const app = createApp({
    agentEvents,
    metrics: apiMetrics(),
    readiness,
    sql,
    temporal,
    waits,
    retryAfterSeconds: config.RETRY_AFTER_SECONDS,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    defaultCountry: config.DEFAULT_COUNTRY,
    traffic: {
      corsOrigins: config.CORS_ORIGINS,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      trustProxy: config.TRUST_PROXY,
    },
    tokens: tokenSigner(sql),
    webChallengeBits: config.WEB_CHALLENGE_BITS,
    webhookTargets: { allowedPrivateHosts: config.WEBHOOK_ALLOWED_PRIVATE_HOSTS },
    telephony: engine && {
      engine,
      publicUrl: config.TELEPHONY_PUBLIC_URL!,
      twilioAuthToken: config.TWILIO_AUTH_TOKEN,
      gatewaySecret: config.TELEPHONY_GATEWAY_SECRET,
    },
    temporalUi: config.TEMPORAL_UI_URL ? { url: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE } : undefined,
    codec: { codec: dataConverter.payloadCodecs[0], corsOrigins: config.CODEC_CORS_ORIGINS },
    people: {
      idleSeconds: config.SESSION_IDLE_SECONDS,
      maxSeconds: config.SESSION_MAX_SECONDS,
      lockAfter: config.LOGIN_LOCK_AFTER,
      lockSeconds: config.LOGIN_LOCK_SECONDS,
      lockMaxSeconds: config.LOGIN_LOCK_MAX_SECONDS,
    },
    signOn:
      config.OIDC_ISSUER && config.OIDC_CLIENT_ID
        ? {
            client: oidcSignOn(sql, {
              issuer: config.OIDC_ISSUER,
              clientId: config.OIDC_CLIENT_ID,
              clientSecret: config.OIDC_CLIENT_SECRET,
              redirectUri: config.OIDC_REDIRECT_URI,
              scopes: config.OIDC_SCOPES,
              roleClaim: config.OIDC_ROLE_CLAIM,
              roleMap: config.OIDC_ROLE_MAP,
              afterSignInUrl: config.OIDC_AFTER_SIGN_IN_URL,
            }),
            redirectUri: config.OIDC_REDIRECT_URI,
            afterSignInUrl: config.OIDC_AFTER_SIGN_IN_URL,
          }
        : undefined,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    // Answers /readyz 503 for SHUTDOWN_DELAY_MS first, so that a load balancer stops sending
    // requests here; then takes no more connections; requests waiting on Temporal answer 503 at
    // once, the others finish; the Temporal connection closes last, when none of its requests is left.
    async stop() {
      stopping = true;
      if (config.SHUTDOWN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Event streams never end by themselves: they end now, and their desks reconnect elsewhere.
      await agentEvents.close();
      await waits.drain();
      server.closeIdleConnections();
      await closed;
      await connection.close();
    },
  };
}
