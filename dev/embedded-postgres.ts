// The embedded PostgreSQL for a machine without one: PGlite (Postgres compiled to WASM) behind
// its socket server, so that the same `postgres` driver and SQL serve it and a real server.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite is a single backend. Its socket server multiplexes client connections onto it and
 * runs one transaction at a time; a query from another connection waits for that transaction.
 * `dataDir` persists the database; without it the database lives in memory.
 */
export async function startEmbeddedPostgres({ dataDir, port = 0 }: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 64 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres:postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
