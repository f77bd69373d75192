// The production image's contents on this machine: `npm run build` into a temporary directory,
// beside a node_modules holding only what `npm ci --omit=dev` installs (links to this checkout's
// packages that the lock file does not mark dev), and the processes started from it with `node`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
export { freePort } from '../../worker/metrics-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface LockPackage {
  dev?: boolean;
}

/** The top-level packages `npm ci --omit=dev` installs, by the lock file, and those it leaves out. */
export async function productionPackages(): Promise<{ installed: string[]; leftOut: string[] }> {
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  const installed: string[] = [];
  const leftOut: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(path)?.[1];
    if (name) (pkg.dev ? leftOut : installed).push(name);
  }
  return { installed, leftOut };
}

export interface ProductionBuild {
  dir: string;
  /** Starts `node dist/<entry>` in the build's directory, with `env` over a minimal environment. */
  start(entry: string, env: Record<string, string>, name: string): ChildProcess;
  remove(): Promise<void>;
}

export async function buildForProduction(): Promise<ProductionBuild> {
  const dir = await mkdtemp(join(tmpdir(), 'callback-production-'));
  const { installed } = await productionPackages();
  for (const name of installed) {
    const source = join(root, 'node_modules', name);
    if (!existsSync(source)) continue; // an optional package for another platform
    const target = join(dir, 'node_modules', name);
    await mkdir(dirname(target), { recursive: true });
    await symlink(source, target, 'dir');
  }
  // "type": "module" makes node read dist/**/*.js as ES modules, as in the image.
  await copyFile(join(root, 'package.json'), join(dir, 'package.json'));
  await promisify(execFile)(process.execPath, [join(root, 'scripts', 'build.mjs'), join(dir, 'dist')], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    dir,
    start(entry, env, name) {
      const child = spawn(process.execPath, [join('dist', entry)], {
        cwd: dir,
        // Only what the process is given: no NODE_OPTIONS (vitest's loaders), as in a container.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.resume();
      child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
      return child;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Resolves with the exit code (or signal) when the process ends. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}
