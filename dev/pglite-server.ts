// Serves one PGlite to many TCP clients as serialized sessions: pglite-socket's server interleaves concurrent clients' extended-protocol messages.
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

export interface PgliteServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const PROTOCOL_3 = 196608,
  SSL_REQUEST = 80877103,
  GSSENC_REQUEST = 80877104;
const SYNC = 0x53,
  QUERY = 0x51,
  TERMINATE = 0x58;

function message(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = type;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const rollbackQuery = message(QUERY, Buffer.from('ROLLBACK\0'));
// A session may die mid-unit: the first ROLLBACK aborts an implicit or explicit transaction, unless
// an error has the backend skipping to Sync; then Sync ends that, and the second ROLLBACK the block.
const ABANDON = Buffer.concat([rollbackQuery, message(SYNC, Buffer.alloc(0)), rollbackQuery]);

// The startup message has no type byte; PGlite recognises it by its leading zero, and so do we.
const endsUnit = (m: Buffer) => m[0] === SYNC || m[0] === QUERY || m[0] === 0;

/** The single backend, held by one session at a time (for a whole unit, and while its transaction is open), handed on in arrival order. */
class Backend {
  owner: Session | null = null;
  private waiting: { session: Session; grant: () => void }[] = [];

  constructor(readonly db: PGlite) {}

  async acquire(session: Session): Promise<void> {
    if (!this.owner) this.owner = session;
    else if (this.owner !== session) await new Promise<void>((grant) => this.waiting.push({ session, grant }));
  }

  // Ownership passes here rather than in the waiter's continuation, so no newcomer can jump the queue.
  release(session: Session) {
    if (this.owner !== session) return;
    const next = this.waiting.shift();
    this.owner = next?.session ?? null;
    next?.grant();
  }

  run(bytes: Buffer, onData: (data: Uint8Array) => void): Promise<void> {
    return this.db.runExclusive(() => this.db.execProtocolRawStream(new Uint8Array(bytes), { onRawData: onData }));
  }
}

class Session {
  private pending: Buffer = Buffer.alloc(0);
  private messages: Buffer[] = [];
  private started = false;
  private running = false;
  private closed = false;
  // Between a unit's first message and its Sync (e.g. postgres.js's Parse/Describe/Flush round trip
  // for parameter types) the unnamed statement is this session's, so the backend must stay ours.
  private midUnit = false;
  private cleanedUp = false;
  private finish!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(
    private socket: net.Socket,
    private backend: Backend,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.receive(chunk);
      void this.pump();
    });
    socket.on('error', () => {}); // a reset by the client ends in 'close' too
    socket.on('close', () => {
      this.closed = true;
      this.messages = [];
      if (!this.running) void this.cleanUp();
    });
  }

  private receive(chunk: Buffer) {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const untyped = !this.started;
      if (buf.length < (untyped ? 8 : 5)) break;
      const length = untyped ? buf.readInt32BE(0) : 1 + buf.readInt32BE(1);
      if (buf.length < length) break;
      const msg = buf.subarray(0, length);
      buf = buf.subarray(length);
      if (!untyped) this.messages.push(msg);
      else if (msg.readInt32BE(4) === PROTOCOL_3) {
        this.started = true;
        this.messages.push(msg);
      } else if (msg.readInt32BE(4) === SSL_REQUEST || msg.readInt32BE(4) === GSSENC_REQUEST) this.write(Buffer.from('N'));
      // anything else is a CancelRequest: PGlite cannot interrupt a running query, so it is dropped
    }
    this.pending = buf;
  }

  private write(data: Uint8Array) {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(Buffer.from(data));
  }

  // Runs what has arrived as it arrives (a client may wait for replies before sending its Sync),
  // but cut at each unit's end so that the backend can change hands between units.
  private async pump() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.messages.length && !this.closed) {
        const end = this.messages.findIndex((m) => endsUnit(m) || m[0] === TERMINATE);
        const batch = this.messages.splice(0, end < 0 ? this.messages.length : end + 1);
        const terminate = batch.at(-1)![0] === TERMINATE && batch.pop();
        if (batch.length) {
          await this.backend.acquire(this);
          if (this.closed) break;
          await this.backend.run(Buffer.concat(batch), (data) => this.write(data));
          this.midUnit = !endsUnit(batch.at(-1)!);
          if (!this.midUnit && !this.backend.db.isInTransaction()) this.backend.release(this);
        }
        if (terminate) {
          this.socket.end();
          break;
        }
      }
    } catch (err) {
      console.error('[pglite-server] dropping a connection after a backend error:', err);
      this.socket.destroy();
    } finally {
      this.running = false;
      if (this.closed) await this.cleanUp();
    }
  }

  private async cleanUp() {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    try {
      if (this.backend.owner === this && (this.midUnit || this.backend.db.isInTransaction())) {
        await this.backend.run(ABANDON, () => {});
      }
    } catch (err) {
      console.error('[pglite-server] rolling back an abandoned session failed:', err);
    } finally {
      this.backend.release(this);
      this.finish();
    }
  }
}

export async function servePglite(
  db: PGlite,
  { host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {},
): Promise<PgliteServer> {
  await db.waitReady;
  const backend = new Backend(db);
  const sessions = new Map<net.Socket, Session>();
  const server = net.createServer((socket) => {
    const session = new Session(socket, backend);
    sessions.set(socket, session);
    void session.finished.then(() => sessions.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    async stop() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      const open = [...sessions];
      for (const [socket] of open) socket.destroy();
      // Wait for abandoned transactions to be rolled back before the caller closes the db.
      await Promise.all([closing, ...open.map(([, s]) => s.finished)]);
    },
  };
}
