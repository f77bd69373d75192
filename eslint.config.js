// Lint that guards the code's shape: type-aware checks for promises, Temporal's determinism rule
// for workflow code, and the layers, which import in one direction only:
// domain ← db ← services and activities ← api and worker (entry points); workflows see domain and
// contracts only.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports of our own folders that a layer may not make. */
const layer = (...folders) => ({
  patterns: folders.map((folder) => ({
    group: [`../${folder}/*`, `../../${folder}/*`],
    message: `this layer does not import ${folder}/: layers import in one direction (README, Architecture)`,
  })),
});

const restricted = (options, extra = {}) => ({ '@typescript-eslint/no-restricted-imports': ['error', { ...options, ...extra }] });

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'coverage/', 'dist/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // Workflow code is replayed: no Node built-ins, no I/O, nothing of the layers that do I/O;
  // activities are imported as types only (proxyActivities).
  {
    files: ['workflows/**/*.ts'],
    rules: restricted({
      paths: builtinModules
        .flatMap((m) => [m, `node:${m}`])
        .map((name) => ({ name, message: 'workflow code is deterministic: no Node built-ins' })),
      patterns: [
        ...layer('db', 'api', 'worker', 'services', 'config', 'telemetry', 'dev', 'scripts', 'telephony').patterns,
        { group: ['../activities/*'], allowTypeImports: true, message: 'workflows import activities as types only (proxyActivities)' },
      ],
    }),
  },
  {
    files: ['domain/**/*.ts'],
    rules: restricted(
      layer('db', 'api', 'worker', 'services', 'activities', 'workflows', 'config', 'telemetry', 'dev', 'scripts', 'telephony'),
    ),
  },
  {
    files: ['db/**/*.ts'],
    rules: restricted(layer('api', 'worker', 'services', 'activities', 'workflows', 'telemetry', 'dev', 'scripts', 'telephony')),
  },
  { files: ['activities/**/*.ts'], rules: restricted(layer('api', 'worker', 'services', 'dev', 'scripts')) },
  // Telephony: the dialler port, its adapters and the outcome table; activities, the API's status
  // callback routes and the worker's keeper use it.
  {
    files: ['telephony/**/*.ts'],
    rules: restricted(layer('api', 'worker', 'services', 'activities', 'workflows', 'dev', 'scripts')),
  },
  { files: ['services/**/*.ts'], rules: restricted(layer('api', 'worker', 'activities', 'dev', 'scripts')) },
  { files: ['api/**/*.ts'], rules: restricted(layer('worker', 'activities', 'dev', 'scripts')) },
  { files: ['worker/**/*.ts'], rules: restricted(layer('api', 'dev', 'scripts')) },
  // Pages: an entry point beside the API (they use its routers and checks), never the worker's side.
  { files: ['web/**/*.ts', 'web/**/*.tsx'], rules: restricted(layer('worker', 'activities', 'dev', 'scripts')) },
  // The pages' own scripts run in the browser, as classic scripts (no build step, no modules).
  { files: ['web/assets/**/*.js'], languageOptions: { sourceType: 'script', globals: globals.browser } },
  // Scripts are entry points of their own: a rule they share with the API goes down to domain/ or db/.
  { files: ['scripts/**/*.ts'], rules: restricted(layer('api', 'dev')) },
  {
    files: ['config/**/*.ts'],
    rules: restricted(layer('db', 'api', 'worker', 'services', 'activities', 'workflows', 'telemetry', 'dev', 'scripts')),
  },
  // Logs and metrics: used by services, activities, the API and the worker; they know none of them.
  {
    files: ['telemetry/**/*.ts'],
    rules: restricted(layer('db', 'api', 'worker', 'services', 'activities', 'workflows', 'config', 'dev', 'scripts')),
  },
  prettier,
);
