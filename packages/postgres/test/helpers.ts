import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type { PostgresServer } from './postgres-server';

let counter = 0;

/** A schema name no other test in this process uses. */
export function uniqueSchema(prefix = 't'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Claw's tables, children before the tables they reference. */
const TABLES = [
  'usage_records', 'budget_usage', 'budget_reservations', 'budget_keys', 'audit_entries', 'approval_requests',
  'approval_grants', 'run_states', 'memory_items',
];

/**
 * Deletes every row of a migrated schema. Replica mode skips the audit log's append-only trigger, as a database
 * owner resetting a test database would.
 */
export async function emptySchema(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    for (const table of TABLES) await client.query(`DELETE FROM "${schema}".${table}`);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

/** A pool on the server that swallows idle-client errors (the server may be stopped first in teardown). */
export function poolFor(server: PostgresServer, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: server.connectionString, max });
  pool.on('error', () => {});
  return pool;
}

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const workerPath = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));

/** A child Node process running `fixtures/worker.ts` with the given arguments. */
export interface Worker {
  pid: number;
  /** Resolves with the last JSON line the worker printed when it exits 0; rejects otherwise. */
  result: Promise<unknown>;
  /** Resolves once the worker printed a line containing `text`. */
  waitFor(text: string): Promise<void>;
  /** Writes a line to the worker's standard input. */
  send(line: string): void;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the worker script in a separate process (TypeScript through tsx, workspace packages from source). */
export function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', tsxLoader, '--conditions=claw-source', workerPath, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      if (stdout.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const result = exited.then(({ code, signal }) => {
    if (code !== 0) throw new Error(`worker ${args[0]} exited with ${code ?? signal}:\n${stderr}\n${stdout}`);
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]!) as unknown;
  });
  result.catch(() => {});
  return {
    pid: child.pid!,
    result,
    exited,
    waitFor: (text) =>
      stdout.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ text, resolve });
            exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before printing "${text}":\n${stderr}`)));
          }),
    send: (line) => {
      child.stdin.write(`${line}\n`);
    },
    kill: (signal) => child.kill(signal),
  };
}
