// The workflow bundle a worker run from source (`npm start`, `npm run worker`) reuses between
// starts: bundling takes tens of seconds on a busy machine, so it is built once per version of the
// workflow code and kept on disk. The key covers every source file the workflows import (followed
// from their entry, type-only imports left out as the bundler erases them), the versions of the
// packages they import and of the Temporal SDK that bundles them, and Node's version.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the bundles are kept unless WORKFLOW_BUNDLE_CACHE_DIR says otherwise: the usual home of build caches. */
export const DEFAULT_BUNDLE_CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'callback-service', 'workflow-bundles');
/** Bundles of other versions kept beside the current one (a rollback, another branch). */
const KEEP = 4;

// `import x from '...'`, `import { a, type b } from '...'`, `export { x } from '...'`, `import '...'`;
// not `import type ...` nor `export type ...`.
const IMPORT = /(?:^|[\n;])\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;

export interface BundleKey {
  key: string;
  /** The source files the key covers, relative to the project. */
  files: string[];
  /** The packages the workflows import, with the versions the key covers. */
  packages: Record<string, string>;
}

/** The cache key of the bundle of the workflows whose entry is `workflowsPath`. */
export async function workflowBundleKey(workflowsPath: string, root = ROOT): Promise<BundleKey> {
  const hash = createHash('sha256');
  const files: string[] = [];
  const packageNames = new Set<string>(['@temporalio/worker', '@temporalio/workflow', '@temporalio/common']);
  const seen = new Set<string>();
  const queue = [resolve(workflowsPath)];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    files.push(file);
    for (const [, specifier] of text.matchAll(IMPORT)) {
      if (specifier!.startsWith('.')) queue.push(sourceOf(resolve(dirname(file), specifier!)));
      else packageNames.add(packageName(specifier!));
    }
  }
  files.sort();
  for (const file of files) {
    hash.update(`${relativeTo(root, file)}\0`);
    hash.update(await readFile(file));
    hash.update('\0');
  }
  const packages: Record<string, string> = {};
  for (const name of [...packageNames].sort()) {
    packages[name] = await packageVersion(root, name);
    hash.update(`${name}@${packages[name]}\0`);
  }
  hash.update(`node ${process.version}`);
  return { key: hash.digest('hex').slice(0, 32), files: files.map((f) => relativeTo(root, f)), packages };
}

export interface CachedBundle {
  codePath: string;
  key: string;
  /** Whether the bundle was found in the cache (false: built now). */
  hit: boolean;
}

export interface BundleCacheOptions {
  workflowsPath: string;
  cacheDir?: string;
  /** Builds the bundle's code; the SDK's bundler by default. */
  build?: (workflowsPath: string) => Promise<string>;
}

/** The bundle for the workflows as they are now: from the cache, or built and put there. */
export async function cachedWorkflowBundle({
  workflowsPath,
  cacheDir = DEFAULT_BUNDLE_CACHE_DIR,
  build = bundle,
}: BundleCacheOptions): Promise<CachedBundle> {
  const { key } = await workflowBundleKey(workflowsPath);
  const codePath = join(cacheDir, `workflow-bundle-${key}.js`);
  if (existsSync(codePath)) return { codePath, key, hit: true };
  const code = await build(workflowsPath);
  await mkdir(cacheDir, { recursive: true });
  // Written aside and renamed, so that a worker starting at the same time never reads half a bundle.
  const partial = `${codePath}.${process.pid}.partial`;
  await writeFile(partial, code);
  await rename(partial, codePath);
  await forgetOldBundles(cacheDir, codePath);
  return { codePath, key, hit: false };
}

async function bundle(workflowsPath: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger: { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error },
  });
  return code;
}

async function forgetOldBundles(cacheDir: string, current: string) {
  const bundles = (await readdir(cacheDir)).filter((f) => /^workflow-bundle-[0-9a-f]+\.js$/.test(f)).map((f) => join(cacheDir, f));
  const dated = await Promise.all(bundles.filter((f) => f !== current).map(async (f) => ({ f, at: (await stat(f)).mtimeMs })));
  dated.sort((a, b) => b.at - a.at);
  await Promise.all(dated.slice(KEEP).map(({ f }) => rm(f, { force: true })));
}

/** The TypeScript source of an import written as `./x.js` (the file itself when it exists). */
function sourceOf(path: string): string {
  if (existsSync(path)) return path;
  for (const candidate of [path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`workflow bundle key: cannot find the source of ${path}`);
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

async function packageVersion(root: string, name: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function relativeTo(root: string, file: string): string {
  return file.startsWith(root) ? file.slice(root.length).replace(/^\/+/, '') : file;
}
