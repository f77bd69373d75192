// A worker's operations listener (WORKER_METRICS_PORT): /metrics (the service's metrics and the
// Temporal SDK's, read from its exporter and served as one), /healthz (the process answers) and
// /readyz (PostgreSQL and Temporal reachable, migrations current, the worker running).
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Readiness } from '../telemetry/health.js';
import { log } from '../telemetry/log.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** The SDK's Prometheus exporter (host:port), when the runtime has one. */
  sdkMetricsAddress?: string;
  readiness: () => Promise<Readiness>;
}

export async function serveWorkerMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const respond = async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'text/plain', 'method not allowed\n');
      if (path === '/healthz') return answer(200, 'application/json', JSON.stringify({ status: 'ok' }));
      if (path === '/readyz') {
        const state = await options.readiness();
        return answer(
          state.ready ? 200 : 503,
          'application/json',
          JSON.stringify({ status: state.ready ? 'ready' : 'not-ready', checks: state.checks }),
        );
      }
      if (path === '/metrics') {
        const [own, sdk] = await Promise.all([options.registry.metrics(), sdkMetrics(options.sdkMetricsAddress)]);
        return answer(200, options.registry.contentType, own + (own.endsWith('\n') ? '' : '\n') + sdk);
      }
      return answer(404, 'text/plain', 'not found\n');
    };
    respond().catch((err: unknown) => {
      log().error({ err, path }, 'worker metrics listener failed to answer');
      if (!res.headersSent) answer(500, 'text/plain', 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The SDK exporter's text; when it does not answer, a comment saying so (the scrape still succeeds). */
async function sdkMetrics(address: string | undefined): Promise<string> {
  if (!address) return '';
  try {
    const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return `# the Temporal SDK's exporter answered ${res.status}\n`;
    return await res.text();
  } catch (err) {
    return `# the Temporal SDK's exporter did not answer: ${err instanceof Error ? err.message : String(err)}\n`;
  }
}

/** A port free on 127.0.0.1 now (for a server that cannot report the port it took, such as the SDK's exporter). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
