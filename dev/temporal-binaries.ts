// Where the Temporal dev server and time-skipping test server come from: an explicit path,
// the copy scripts/ensure-tools.mjs installed from PyPI, or else the SDK's own download.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server.js';

interface PinnedBinary {
  pkg: string;
  version: string;
  bin: string;
  env: string;
}
const packages = JSON.parse(readFileSync(new URL('../scripts/temporal-packages.json', import.meta.url), 'utf8')) as Record<
  'cli' | 'testServer',
  PinnedBinary
>;

export function temporalExecutable(which: 'cli' | 'testServer'): EphemeralServerExecutable {
  const { pkg, version, bin, env } = packages[which];
  const explicit = process.env[env];
  if (explicit) return { type: 'existing-path', path: explicit };
  const installed = fileURLToPath(new URL(`../.tools/${pkg}-${version}/bin/${bin}`, import.meta.url));
  if (existsSync(installed)) return { type: 'existing-path', path: installed };
  return { type: 'cached-download' };
}
