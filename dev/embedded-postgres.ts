// The embedded PostgreSQL for a machine without one: PGlite (Postgres compiled to WASM) behind
// a TCP server, so that the same `postgres` driver and SQL serve it and a real server.
import { PGlite } from '@electric-sql/pglite';
import { servePglite } from './pglite-server.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite is a single backend. `servePglite` shares it among client connections (from any number
 * of processes) as if each were a session of a Postgres that runs one thing at a time: each
 * Sync-terminated batch runs whole, and while a connection has a transaction open only it runs;
 * the others wait, in turn. `dataDir` persists the database; without it the database lives in
 * memory. `stop` closes the server (rolling back transactions its clients left open), then the db.
 */
export async function startEmbeddedPostgres({ dataDir, port = 0 }: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(dataDir);
  const server = await servePglite(db, { host: '127.0.0.1', port });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${server.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
