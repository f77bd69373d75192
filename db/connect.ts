// One postgres.js pool per process.
import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface ConnectOptions {
  url: string;
  max: number;
  /**
   * Named prepared statements. The embedded database (PGlite behind its socket server) is one
   * backend shared by every connection, where statements from different connections would collide.
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
