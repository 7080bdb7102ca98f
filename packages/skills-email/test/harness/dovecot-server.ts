import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, portAccepts, waitFor } from './free-port';

const run = promisify(execFile);

/** Where Debian's dovecot-imapd puts the binaries. */
export const DOVECOT_BINARY = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
const DOVECOT_LDA = '/usr/lib/dovecot/dovecot-lda';
/** True when a real Dovecot is installed here (CI installs dovecot-imapd, so tests must not skip there). */
export const hasDovecot = existsSync(DOVECOT_BINARY);

/** The unprivileged owner of every Maildir: Dovecot refuses to keep mail as root. */
const MAIL_UID = 5000;
/** Logins written into the passwd file at start; one per test account. */
const POOL_SIZE = 64;

/** A running Dovecot IMAP server on 127.0.0.1, private to one test file. */
export interface DovecotServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dir: string;
  /** PID of the master process (changes on restart). */
  readonly pid: number;
  /**
   * A login nobody has used yet, from a pool written before the server started. (Dovecot re-reads its passwd
   * file at most once a second, so users added while tests run would not be able to log in at once.)
   */
  takeUser(): { user: string; password: string };
  /** Delivers a message into a user's INBOX with dovecot-lda, the way an MTA would. */
  deliver(user: string, source: Buffer | string, envelopeFrom?: string): Promise<void>;
  /** Closes every IMAP connection of a user from the server side. */
  kick(user: string): Promise<void>;
  /** Stops the master and starts it again on the same port with the same mail. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function ensureMailUser(): Promise<void> {
  const known = await run('getent', ['passwd', String(MAIL_UID)]).then(
    () => true,
    () => false,
  );
  if (known) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`No user with uid ${MAIL_UID} exists and the tests are not root: create one (useradd -u ${MAIL_UID} claw-mail).`);
  }
  await run('useradd', ['-u', String(MAIL_UID), '-U', '-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', 'claw-mail']);
}

function config(dir: string, port: number): string {
  return `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = claw-test-${port}
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:${dir}/mail/%u
mail_fsync = never
mail_uid = ${MAIL_UID}
mail_gid = ${MAIL_UID}
first_valid_uid = ${MAIL_UID}
postmaster_address = postmaster@claw.test
service imap-login {
  service_count = 0
  process_min_avail = 1
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
# No auth penalty: after a wrong-password test, anvil would delay every later login from 127.0.0.1 by seconds.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
  default_fields = uid=${MAIL_UID} gid=${MAIL_UID} home=${dir}/mail/%u
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}
`;
}

async function childPids(parent: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(parent)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** True while the process runs. A zombie counts as gone: who reaps it (often PID 1) may take seconds. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc entry: gone (or not Linux, where signal 0 is the best check there is).
    if (existsSync('/proc/self')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a Dovecot with its own config in a temp folder: passwd-file logins, Maildirs owned by uid 5000, plain
 * IMAP on a free 127.0.0.1 port. Stop it with `stop()` (by PID) in afterAll.
 */
export async function startDovecot(): Promise<DovecotServer> {
  await ensureMailUser();
  const dir = await mkdtemp(join(tmpdir(), 'claw-dovecot-'));
  await chmod(dir, 0o755);
  await mkdir(join(dir, 'mail'));
  await chown(join(dir, 'mail'), MAIL_UID, MAIL_UID);
  const pool = Array.from({ length: POOL_SIZE }, (_, i) => ({ user: `user${i + 1}`, password: randomBytes(9).toString('base64url') }));
  await writeFile(join(dir, 'passwd'), pool.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''), { mode: 0o644 });
  const port = await freePort();
  const configPath = join(dir, 'dovecot.conf');
  await writeFile(configPath, config(dir, port));
  let pid = 0;

  const start = async () => {
    await waitFor(async () => !(await portAccepts(port)), `port ${port} to be free`);
    // Dovecot forks into the background; its stdio must not be pipes, or the daemon keeps them open forever.
    await new Promise<void>((resolve, reject) => {
      const child = spawn(DOVECOT_BINARY, ['-c', configPath], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dovecot exited ${code}; see ${dir}/dovecot.log`))));
    });
    const pidFile = join(dir, 'run', 'master.pid');
    await waitFor(() => existsSync(pidFile), 'the Dovecot pid file');
    pid = Number((await readFile(pidFile, 'utf8')).trim());
    await waitFor(() => portAccepts(port), `Dovecot to listen on ${port}`);
  };
  const stopMaster = async () => {
    if (pid === 0 || !alive(pid)) return;
    // A clean Dovecot shutdown waits seconds for login processes; tests need no graceful goodbye, so after a
    // short grace period the master and the children it started are killed by PID.
    const children = await childPids(pid);
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !alive(pid), `Dovecot ${pid} to exit`, 300).catch(() => undefined);
    for (const child of [pid, ...children]) {
      try {
        process.kill(child, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await waitFor(() => !alive(pid), `Dovecot ${pid} to exit`);
    await waitFor(async () => !(await portAccepts(port)), `port ${port} to be released`);
    // Dovecot refuses to start while master.pid names a live process, and a zombie master still looks alive.
    await rm(join(dir, 'run', 'master.pid'), { force: true });
  };

  await start();
  return {
    host: '127.0.0.1',
    port,
    dir,
    get pid() {
      return pid;
    },
    takeUser() {
      const next = pool.shift();
      if (!next) throw new Error(`All ${POOL_SIZE} test users are taken: raise POOL_SIZE in dovecot-server.ts.`);
      return next;
    },
    async deliver(user, source, envelopeFrom = 'sender@claw.test') {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(DOVECOT_LDA, ['-c', configPath, '-d', user, '-f', envelopeFrom], { stdio: ['pipe', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`dovecot-lda exited ${code}: ${stderr}`))));
        child.stdin.end(source);
      });
    },
    async kick(user) {
      await run(DOVEADM, ['-c', configPath, 'kick', user]);
    },
    async restart() {
      await stopMaster();
      await start();
    },
    async stop() {
      await stopMaster();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
