// How the connections to Temporal are secured from the configuration: plain, TLS, an API key
// (Temporal Cloud), mTLS with a client certificate, a private CA and a server name.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig, temporalConnectionOptions } from '../../config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const cert = file('tls.crt', '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n');
const key = file('tls.key', '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n');
const ca = file('ca.crt', '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n');
const address = { TEMPORAL_ADDRESS: 'temporal.example:7233' };

it('connects without TLS unless something asks for it', () => {
  expect(temporalConnectionOptions(loadConfig(address))).toEqual({ address: 'temporal.example:7233', tls: false });
  expect(temporalConnectionOptions(loadConfig({ ...address, TEMPORAL_TLS: 'true' })).tls).toEqual({});
});

it('uses TLS with an API key (Temporal Cloud)', () => {
  const options = temporalConnectionOptions(loadConfig({ ...address, TEMPORAL_API_KEY: 'secret-key' }));
  expect(options).toEqual({ address: 'temporal.example:7233', tls: {}, apiKey: 'secret-key' });
});

it('reads the client certificate and key for mTLS, the CA and the server name', () => {
  const { tls } = temporalConnectionOptions(
    loadConfig({
      ...address,
      TEMPORAL_TLS_CERT_PATH: cert,
      TEMPORAL_TLS_KEY_PATH: key,
      TEMPORAL_TLS_CA_PATH: ca,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
    }),
  );
  expect(tls).toMatchObject({ serverNameOverride: 'frontend.temporal.internal' });
  const { clientCertPair, serverRootCACertificate } = tls as Exclude<typeof tls, false>;
  expect(clientCertPair?.crt.toString()).toContain('client');
  expect(clientCertPair?.key.toString()).toContain('key');
  expect(serverRootCACertificate?.toString()).toContain('ca');
});

it('refuses a certificate without its key, and a file that is not there, naming the variable', () => {
  expect(() => loadConfig({ ...address, TEMPORAL_TLS_CERT_PATH: cert })).toThrow(/TEMPORAL_TLS_KEY_PATH: mTLS needs both/);
  expect(() => loadConfig({ ...address, TEMPORAL_TLS_KEY_PATH: key })).toThrow(/TEMPORAL_TLS_CERT_PATH: mTLS needs both/);
  expect(() => loadConfig({ ...address, TEMPORAL_TLS_CA_PATH: join(dir, 'missing.crt') })).toThrow(/TEMPORAL_TLS_CA_PATH: no such file/);
});
