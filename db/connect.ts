// One postgres.js pool per process.
import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface ConnectOptions {
  url: string;
  max: number;
  /**
   * Named prepared statements. Off for the embedded database: PGlite is one backend shared by
   * every connection, so statements of closed connections would never be freed.
   */
  prepare?: boolean;
}

export function connect({ url, max, prepare = true }: ConnectOptions): Sql {
  return postgres(url, {
    max,
    prepare,
    onnotice: () => {},
    connection: { application_name: 'callback-service' },
  });
}
