// Which database errors mean PostgreSQL is out of reach for now (down, restarting, out of
// connections, or the connection cut), as opposed to a fault in a query: a request failing on
// one of these may be retried as it is.
import postgres from 'postgres';

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
// admin_shutdown (pg_terminate_backend, a restart), crash_shutdown, cannot_connect_now, too_many_connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

export function databaseUnreachable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (e instanceof postgres.PostgresError) {
      // Class 08: connection exceptions.
      if (code.startsWith('08') || SERVER_CODES.has(code)) return true;
    } else if (SOCKET_CODES.has(code) || DRIVER_CODES.has(code)) {
      return true;
    }
  }
  return false;
}
