#!/usr/bin/env node
// Installs the JSON schemas the deployment files are checked against (test/unit/deployment-files.test.ts)
// into .schemas/, from PyPI, pinned: the Kubernetes schemas (strict: unknown fields are errors) that
// the kubernetes-validate package ships, and the Compose specification's schema that the
// docker-compose 1.x package ships (compose/config/compose_spec.json). Both Apache-2.0.
// Plain Node with no dependencies, like scripts/ensure-tools.mjs, which runs it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMAS_DIR = join(root, '.schemas');

export const SCHEMAS = {
  kubernetes: {
    pkg: 'kubernetes-validate',
    version: '1.37.0',
    from: 'kubernetes_validate/kubernetes-json-schema/v1.34.0-local-strict',
    to: 'kubernetes-v1.34.0-strict',
  },
  compose: { pkg: 'docker-compose', version: '1.29.2', from: 'compose/config/compose_spec.json', to: 'compose-spec.json' },
};

for (const { pkg, version, from, to } of Object.values(SCHEMAS)) {
  const target = join(SCHEMAS_DIR, to);
  const stamp = join(SCHEMAS_DIR, `${to}.from`);
  if (existsSync(target) && existsSync(stamp)) continue;
  console.log(`[setup] installing the schema ${to} from ${pkg}==${version} (PyPI)`);
  const scratch = mkdtempSync(join(tmpdir(), 'schemas-'));
  try {
    execFileSync(
      'python3',
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '--no-compile',
        '--target',
        scratch,
        `${pkg}==${version}`,
      ],
      { stdio: 'inherit' },
    );
    mkdirSync(SCHEMAS_DIR, { recursive: true });
    rmSync(target, { recursive: true, force: true });
    cpSync(join(scratch, from), target, { recursive: true });
    writeFileSync(stamp, `${pkg}==${version}:${from} (Apache-2.0)\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
