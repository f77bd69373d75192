// The dialler adapter chosen by configuration (DIALLER), with the number guards. `simulated`
// keeps the embedded simulator (activities/dialler.ts): no telephony engine then.
import type { Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import type { Sql } from '../db/connect.js';
import { createTelephony, type Telephony } from './calls.js';
import type { NumberGuards } from './guards.js';
import { createHttpGatewayAdapter } from './http-gateway.js';
import type { TelephonyAdapter } from './port.js';
import { createTwilioAdapter } from './twilio.js';

export function adapterFromConfig(config: Config): TelephonyAdapter | null {
  switch (config.DIALLER) {
    case 'simulated':
      return null;
    case 'twilio':
      return createTwilioAdapter({
        accountSid: config.TWILIO_ACCOUNT_SID!,
        authToken: config.TWILIO_AUTH_TOKEN!,
        apiBaseUrl: config.TWILIO_API_BASE_URL,
        publicUrl: config.TELEPHONY_PUBLIC_URL!,
      });
    case 'http':
      return createHttpGatewayAdapter({
        url: config.TELEPHONY_GATEWAY_URL!,
        secret: config.TELEPHONY_GATEWAY_SECRET!,
        publicUrl: config.TELEPHONY_PUBLIC_URL!,
      });
  }
}

export function telephonyFromConfig(config: Config, sql: Sql, temporal: Client): Telephony | null {
  const adapter = adapterFromConfig(config);
  if (!adapter) return null;
  return createTelephony({
    sql,
    temporal,
    adapter,
    defaults: { callerId: config.TELEPHONY_CALLER_ID, agentDevice: config.TELEPHONY_AGENT_DEVICE },
  });
}

export function guardsFromConfig(config: Config): NumberGuards {
  return {
    allowedCountries: config.DIAL_ALLOWED_COUNTRIES,
    blockedPrefixes: config.DIAL_BLOCKED_PREFIXES,
    blockedNumbers: config.DIAL_BLOCKED_NUMBERS,
  };
}
