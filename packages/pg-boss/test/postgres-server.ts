import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the PostgreSQL server binaries are: `$PG_BIN`, else the newest `/usr/lib/postgresql/<n>/bin` (Debian). */
export function findPostgresBinDir(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

const isRoot = process.getuid?.() === 0;

/** The account that owns the cluster: `postgres` when we are root (initdb refuses root), else ourselves. */
function clusterAccount(): { uid: number; gid: number; name: string } | undefined {
  if (!isRoot) return { uid: process.getuid!(), gid: process.getgid!(), name: userInfo().username };
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), name: 'postgres' };
}

/** True when a throwaway cluster can be started here (server binaries and a non-root account to own it). */
export const hasPostgresBinaries = findPostgresBinDir() !== undefined && clusterAccount() !== undefined;

/** A running throwaway cluster. */
export interface PostgresServer {
  port: number;
  /** Superuser password (host connections use SCRAM; a wrong password is refused). */
  password: string;
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  connectionString: string;
  dir: string;
  pid: number;
  /** Connection string for another database or password on this server. */
  url(options?: { database?: string; password?: string }): string;
  /** Stops the server (pg_ctl stop, then SIGKILL by PID if it lingers) and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const running = new Set<number>();
let exitHookInstalled = false;

/** A test process that dies without its teardown must not leave servers behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Creates a cluster in a fresh temp dir (owned by the cluster account, mode 700) and starts it on a free
 * 127.0.0.1 port with fsync off. Takes about a second.
 * @throws Error when the binaries are missing or the server does not start (the server log is in the message).
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  const account = clusterAccount();
  if (!bin || !account) throw new Error('PostgreSQL server binaries not found: install the Debian package "postgresql" or set PG_BIN.');
  const asAccount = (command: string, args: string[]) =>
    isRoot ? run('runuser', ['-u', account.name, '--', join(bin, command), ...args]) : run(join(bin, command), args);

  const dir = mkdtempSync(join(tmpdir(), 'claw-pg-'));
  chmodSync(dir, 0o700);
  if (isRoot) chownSync(dir, account.uid, account.gid);
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (isRoot) chownSync(pwfile, account.uid, account.gid);

  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  try {
    await asAccount('initdb', [
      '-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`,
      '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync',
    ]);
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        await asAccount('pg_ctl', [
          '-D', data, '-l', log, '-w', '-t', '30', 'start', '-o',
          `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
        ]);
      } catch (error) {
        lastError = error;
        continue;
      }
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      running.add(pid);
      installExitHook();
      const url = (options: { database?: string; password?: string } = {}) =>
        `postgres://postgres:${encodeURIComponent(options.password ?? password)}@127.0.0.1:${port}/${options.database ?? 'postgres'}`;
      return {
        port,
        password,
        connectionString: url(),
        dir,
        pid,
        url,
        async stop() {
          try {
            await asAccount('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '10', 'stop']);
          } catch {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }
          running.delete(pid);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    throw lastError;
  } catch (error) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '(no server log)';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start a throwaway PostgreSQL: ${(error as Error).message}\n${serverLog}`, { cause: error });
  }
}
