#!/usr/bin/env node
// `npm run build [-- <out dir>]`: the production build. TypeScript compiled to JavaScript
// (tsconfig.build.json: no dev/, test/ or bench/), the SQL migrations beside their runner, and
// the workflow bundle built once here, so that a worker loads it instead of bundling at start.
import { execFileSync } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist'));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

await rm(out, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'inherit' });
await cp(join(root, 'db', 'migrations'), join(out, 'db', 'migrations'), { recursive: true });
// The pages' stylesheet and scripts, served as files beside the compiled web/ code.
await cp(join(root, 'web', 'assets'), join(out, 'web', 'assets'), { recursive: true });
// What the code reads of package.json (the version /openapi.json shows, `"type": "module"`),
// where it looks for it: one level above its folder.
const { name, version, type } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
await writeFile(join(out, 'package.json'), `${JSON.stringify({ name, version, private: true, type }, null, 2)}\n`);

// From the compiled workflows, so that the bundle is exactly the code the rest of dist/ was built
// from; packages from this checkout's node_modules, also for an out dir elsewhere.
const { code } = await bundleWorkflowCode({
  workflowsPath: join(out, 'workflows', 'index.js'),
  webpackConfigHook: (config) => ({
    ...config,
    resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? ['node_modules']), join(root, 'node_modules')] },
  }),
  logger: { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error },
});
await writeFile(join(out, 'workflow-bundle.js'), code);
console.log(`[build] ${out}: compiled, migrations and page assets copied, workflow bundle ${Math.round(code.length / 1024)} KiB`);
