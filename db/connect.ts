// One postgres.js pool per process.
import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface ConnectOptions {
  url: string;
  max: number;
  /**
   * The embedded database (PGlite behind its socket server) is one backend shared by every
   * connection: named prepared statements from different connections would collide there.
   */
  embedded?: boolean;
}

export function connect({ url, max, embedded = false }: ConnectOptions): Sql {
  return postgres(url, {
    max,
    prepare: !embedded,
    onnotice: () => {},
    connection: { application_name: 'callback-service' },
  });
}
