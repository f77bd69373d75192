// One postgres.js pool per process.
import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface ConnectOptions {
  url: string;
  max: number;
  /**
   * Named prepared statements: on, unless a pooler in transaction mode (PgBouncer) stands between
   * the processes and PostgreSQL.
   */
  prepare?: boolean;
  /** Sees every query sent, with its parameters (the benchmark EXPLAINs the sweeps' queries with it). */
  debug?: (connection: number, query: string, parameters: unknown[]) => void;
}

const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

export function connect({ url, max, prepare = true, debug }: ConnectOptions): Sql {
  return postgres(url, {
    max,
    prepare,
    ...(debug ? { debug } : {}),
    onnotice: () => {},
    connection: { application_name: 'callback-service' },
    // Column names only: postgres.camel would also rename the keys inside json values, and those
    // (contact data, event details, stored headers) are kept exactly as they were written.
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
    // Instants are ISO strings everywhere above the database, so rows need no mapping. Dates
    // (1082) stay as postgres.js parses them; parameters are serialized as its date type does.
    types: {
      instant: {
        to: TIMESTAMPTZ,
        from: [TIMESTAMP, TIMESTAMPTZ],
        serialize: (x: Date | string) => (x instanceof Date ? x : new Date(x)).toISOString(),
        parse: (x: string) => new Date(x).toISOString(),
      },
    },
  });
}
