// The deployment files are checked, since no Docker engine or Kubernetes cluster runs here:
// docker-compose.yml against the Compose specification's JSON schema, each Kubernetes manifest
// against the Kubernetes JSON schemas (strict: an unknown or misspelt field is an error), and both,
// with the Dockerfile, for what a schema cannot see (probes, non-root, node not tsx, pinned images).
// The schemas come from PyPI into .schemas/ (scripts/ensure-schemas.mjs, run by `npm test`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const schemas = join(root, '.schemas');
const KUBERNETES = join(schemas, 'kubernetes-v1.34.0-strict');
const COMPOSE = join(schemas, 'compose-spec.json');
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => void;

if (!existsSync(KUBERNETES) || !existsSync(COMPOSE)) {
  throw new Error('the deployment schemas are missing from .schemas/: run `node scripts/ensure-schemas.mjs` (npm test does)');
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const errorsOf = (validate: ValidateFunction) =>
  (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

/** The Compose schema (JSON Schema 2019-09) with the formats Compose defines: Go durations, port specs. */
function composeValidator(): ValidateFunction {
  const schema = readJson(COMPOSE);
  // Its `$schema` ends in '#', and it carries draft-04 `id`s beside `$ref`s; neither is needed to validate.
  delete schema.$schema;
  const strip = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (typeof object.id === 'string') delete object.id;
    Object.values(object).forEach(strip);
  };
  strip(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d{1,3}$/);
  return ajv.compile(schema);
}

/** One validator per kind: `deployment-apps-v1.json` and the like, with their shared `_definitions.json`. */
function kubernetesValidators() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(readJson(join(KUBERNETES, '_definitions.json')));
  return (manifest: { apiVersion?: unknown; kind?: unknown }): ValidateFunction => {
    if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string')
      throw new Error('a manifest needs apiVersion and kind');
    const [group, version] = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/') : [null, manifest.apiVersion];
    const file = join(KUBERNETES, `${manifest.kind.toLowerCase()}${group ? `-${group.split('.')[0]}` : ''}-${version}.json`);
    if (!existsSync(file)) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
    const schema = readJson(file);
    return ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  };
}

const compose = () => parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const manifestFiles = readdirSync(join(root, 'deploy', 'k8s')).filter((f) => /\.ya?ml$/.test(f));
const manifests = () =>
  manifestFiles.flatMap((file) =>
    parseAllDocuments(readFileSync(join(root, 'deploy', 'k8s', file), 'utf8')).map((doc) => ({ file, manifest: doc.toJS() })),
  );
const clone = <T>(value: T): T => structuredClone(value);

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it('is valid by the Compose specification', () => {
    expect(validate(compose()), errorsOf(validate).join('\n')).toBe(true);
  });

  it('is refused by the schema when broken: a misspelt key, a wrong type, a bad duration', () => {
    const misspelt = clone(compose());
    misspelt.services.api.imagee = misspelt.services.api.image;
    expect(validate(misspelt)).toBe(false);
    expect(errorsOf(validate).join()).toContain('imagee');

    const wrongType = clone(compose());
    wrongType.services.worker.deploy.replicas = 'two';
    expect(validate(wrongType)).toBe(false);

    const badDuration = clone(compose());
    badDuration.services.api.healthcheck.interval = 'ten seconds';
    expect(validate(badDuration)).toBe(false);
  });

  it('runs the current Temporal images (server, admin-tools for the schema, UI), pinned, and no auto-setup', () => {
    const images = Object.values(compose().services as Record<string, { image?: string }>).map((s) => s.image!);
    for (const image of images) expect(image, image).toMatch(/^[^:]+:(?!latest$)[\w.-]+$|^callback-service$/);
    const temporal = images.filter((i) => i.startsWith('temporalio/')).map((i) => i.split(':')[0]);
    expect(new Set(temporal)).toEqual(new Set(['temporalio/server', 'temporalio/admin-tools', 'temporalio/ui']));
  });

  it('runs the API, the workers and the setup with node from dist/, ready when /readyz says so', () => {
    const { services } = compose();
    for (const name of ['api', 'worker', 'setup']) expect(services[name].command.join(' '), name).toMatch(/^(sh -c )?node dist\//);
    for (const name of ['api', 'worker']) expect(services[name].healthcheck.test.join(' '), name).toContain('/readyz');
    expect(services.prometheus.volumes).toContain('./deploy/prometheus:/etc/prometheus:ro');
    expect(services.grafana.volumes.some((v: string) => v.startsWith('./deploy/grafana:'))).toBe(true);
  });
});

describe('Kubernetes manifests (deploy/k8s)', () => {
  const validatorFor = kubernetesValidators();

  it('are each valid by the Kubernetes schemas', () => {
    expect(manifests().length).toBeGreaterThanOrEqual(6);
    for (const { file, manifest } of manifests()) {
      const validate = validatorFor(manifest);
      expect(validate(manifest), `${file} ${manifest.kind}: ${errorsOf(validate).join('\n')}`).toBe(true);
    }
  });

  it('are refused by the schemas when broken: a misspelt field, a wrong type, a missing selector', () => {
    const deployment = manifests().find((m) => m.manifest.kind === 'Deployment')!.manifest;
    const validate = validatorFor(deployment);

    const misspelt = clone(deployment);
    misspelt.spec.template.spec.containers[0].readinessprobe = misspelt.spec.template.spec.containers[0].readinessProbe;
    expect(validate(misspelt)).toBe(false);
    expect(errorsOf(validate).join()).toContain('readinessprobe');

    const wrongType = clone(deployment);
    wrongType.spec.replicas = 'two';
    expect(validate(wrongType)).toBe(false);

    const noSelector = clone(deployment);
    delete noSelector.spec.selector;
    expect(validate(noSelector)).toBe(false);

    const pdb = manifests().find((m) => m.manifest.kind === 'PodDisruptionBudget')!.manifest;
    const badBudget = clone(pdb);
    badBudget.spec.minAvailable = { percent: 50 };
    expect(validatorFor(pdb)(badBudget)).toBe(false);
  });

  const deployments = () =>
    manifests()
      .filter((m) => m.manifest.kind === 'Deployment')
      .map((m) => m.manifest);

  it('run the API and the worker with node from dist/, as non-root, with requests, readiness on /readyz and liveness on /healthz', () => {
    expect(
      deployments()
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['callback-api', 'callback-worker']);
    for (const d of deployments()) {
      const pod = d.spec.template.spec;
      const [container] = pod.containers;
      expect(container.command.slice(0, 2), d.metadata.name).toEqual(['node', expect.stringMatching(/^dist\/(api|worker)\/main\.js$/)]);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(container.image).not.toMatch(/:latest$/);
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources.limits.memory).toEqual(expect.any(String));
    }
  });

  it('have a PodDisruptionBudget for each Deployment, and a Service for the API, matching their pods', () => {
    const all = manifests().map((m) => m.manifest);
    const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    for (const d of deployments()) {
      const labels = d.spec.template.metadata.labels;
      expect(matches(d.spec.selector.matchLabels, labels)).toBe(true);
      const budgets = all.filter((m) => m.kind === 'PodDisruptionBudget' && matches(m.spec.selector.matchLabels, labels));
      expect(budgets, d.metadata.name).toHaveLength(1);
    }
    const api = deployments().find((d) => d.metadata.name === 'callback-api')!;
    const service = all.find((m) => m.kind === 'Service')!;
    expect(matches(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1)!;

  it('builds with npm run build and runs node, as a non-root user, with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // The final stage's modules come from the stage that installed without dev dependencies.
    const depsStage = stages.find((s) => s.includes('--omit=dev'))!;
    const depsName = /AS (\w+)/.exec(depsStage)?.[1];
    expect(final).toContain(`--from=${depsName}`);
    expect(final).toMatch(/^USER (?!root\b|0\b)\w+/m);
    expect(final).toMatch(/^CMD \["node", "dist\//m);
    expect(final).not.toMatch(/tsx|npm ci(?! --omit=dev)/);
  });
});
