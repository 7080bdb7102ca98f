import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ReplicaConfig } from './fixtures/replica';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const replicaPath = fileURLToPath(new URL('./fixtures/replica.ts', import.meta.url));

let counter = 0;

/** A schema name no other test in this process uses. */
export function uniqueSchema(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A replica process running `fixtures/replica.ts`. */
export interface Replica {
  name: string;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves once it printed a line containing `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  send(line: string): void;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code and signal; for a SIGTERM stop, `summary` is its last JSON line. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; summary?: unknown }>;
}

/** Starts one replica (TypeScript through tsx, workspace packages from source). */
export function startReplica(config: ReplicaConfig): Replica {
  const child = spawn(process.execPath, ['--import', tsxLoader, '--conditions=claw-source', replicaPath, JSON.stringify(config)], {
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; summary?: unknown }>((resolve) =>
    child.once('exit', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let summary: unknown;
      try {
        summary = last.startsWith('{') ? JSON.parse(last) : undefined;
      } catch {
        summary = undefined;
      }
      resolve({ code, signal, summary });
    }),
  );
  return {
    name: config.name,
    pid: child.pid!,
    output: () => stdout,
    waitFor: (text, timeoutMs = 30_000) =>
      stdout.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`replica ${config.name} did not print "${text}" within ${timeoutMs} ms:\n${stderr}\n${stdout.slice(-2000)}`)), timeoutMs);
            waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
            void exited.then(({ code, signal }) => {
              clearTimeout(timer);
              reject(new Error(`replica ${config.name} exited (${code ?? signal}) before printing "${text}":\n${stderr}\n${stdout.slice(-2000)}`));
            });
          }),
    send: (line) => {
      child.stdin.write(`${line}\n`);
    },
    kill: (signal) => {
      child.kill(signal);
    },
    exited,
  };
}

/** Stops replicas with SIGTERM (they drain) and waits for them; SIGKILLs any that take longer than 20 s. */
export async function stopReplicas(replicas: readonly Replica[]): Promise<unknown[]> {
  return Promise.all(
    replicas.map(async (replica) => {
      replica.kill('SIGTERM');
      const timer = setTimeout(() => replica.kill('SIGKILL'), 20_000);
      const result = await replica.exited;
      clearTimeout(timer);
      return result.summary;
    }),
  );
}

/** Resolves when `check` returns true, polling every 200 ms; rejects after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
}
