/**
 * `pnpm bench` — runs every `bench/*.bench.ts`, each in its own child process (sequentially, so one script's
 * heap, JIT state and background work cannot colour another's figures), then prints one table of every row:
 * figure, value, what it is compared with in the same run, the ratio, the target and whether it is met.
 *
 *   pnpm bench                              # everything
 *   pnpm bench -- --only tokenizer,agent-loop
 *   pnpm bench -- --quick                   # tiny rounds: checks every script works (figures not comparable)
 *   pnpm bench -- --list                    # names only
 *
 * A script that throws, exits or times out becomes a FAILED row; the table still prints and the exit code is 1.
 * Progress goes to stderr, the table to stdout.
 */
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './bench-row';
import { formatTable, type TableRow } from './support/table';
import type { RunOneMessage } from './support/run-one';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
/** A script still running after this long is stopped and reported as failed. */
const SCRIPT_TIMEOUT_MS = 20 * 60_000;

interface Options {
  only: string[] | undefined;
  list: boolean;
  quick: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { only: undefined, list: false, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (arg === '--list') options.list = true;
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (!value) throw new Error('--only needs a comma-separated list of benchmark names, e.g. --only tokenizer,agent-loop');
      options.only = value.split(',').map((s) => s.trim().replace(/\.bench\.ts$/, '')).filter(Boolean);
    } else throw new Error(`Unknown option ${arg}. Use --only name1,name2, --quick or --list.`);
  }
  return options;
}

function discover(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => basename(f, '.bench.ts'))
    .sort();
}

/** Runs one script in a fresh node process (with --expose-gc) and returns its rows or a failure row. */
function runScript(name: string, quick: boolean): Promise<{ rows: TableRow[]; failed: boolean; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = fork(join(BENCH_DIR, 'support', 'run-one.ts'), [join(BENCH_DIR, `${name}.bench.ts`)], {
      cwd: ROOT,
      execArgv: ['--expose-gc', '--conditions=claw-source', '--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, BENCH_QUICK: quick ? '1' : '0' },
    });
    // Keep stdout for the table: whatever a script prints goes to stderr.
    child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    let message: RunOneMessage | undefined;
    let timedOut = false;
    child.on('message', (m) => (message = m as RunOneMessage));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, SCRIPT_TIMEOUT_MS);
    const finish = (failure: string | undefined) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      if (failure === undefined && message?.type === 'rows') {
        const invalid = message.rows.find((r) => typeof r?.figure !== 'string' || !Number.isFinite(r.value) || typeof r.unit !== 'string');
        if (!invalid) {
          resolve({ rows: message.rows.map((row) => ({ script: name, row })), failed: false, seconds });
          return;
        }
        failure = `returned a malformed row ${JSON.stringify(invalid)}`;
      }
      if (failure === undefined && message?.type === 'error') failure = message.message;
      if (message?.type === 'error' && message.stack) process.stderr.write(`${message.stack}\n`);
      const row: BenchRow = { figure: `${name}: FAILED: ${failure ?? 'exited without reporting rows'}`, value: Number.NaN, unit: '' };
      resolve({ rows: [{ script: name, row, failed: true }], failed: true, seconds });
    };
    child.on('error', (error) => finish(`could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (timedOut) finish(`timed out after ${SCRIPT_TIMEOUT_MS / 60_000} min`);
      else if (message?.type === 'rows' && code === 0) finish(undefined);
      else finish(message?.type === 'error' ? undefined : `exited with ${signal ?? `code ${code}`} before reporting rows`);
    });
  });
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const all = discover();
  if (options.list) {
    console.log(all.join('\n'));
    return 0;
  }
  const unknown = (options.only ?? []).filter((n) => !all.includes(n));
  if (unknown.length > 0) throw new Error(`No benchmark named ${unknown.join(', ')}; available: ${all.join(', ')}.`);
  const names = options.only ? all.filter((n) => options.only!.includes(n)) : all;

  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  const rows: TableRow[] = [];
  let failed = false;
  const durations: string[] = [];
  for (const name of names) {
    process.stderr.write(`bench: ${name} ...\n`);
    const result = await runScript(name, options.quick);
    process.stderr.write(`bench: ${name} done in ${result.seconds.toFixed(1)} s${result.failed ? ' (FAILED)' : ''}\n`);
    durations.push(`${name} ${result.seconds.toFixed(0)} s`);
    rows.push(...result.rows);
    failed ||= result.failed;
  }
  const total = (Date.now() - started) / 1000;
  const missed = rows.filter((r) => r.row.meetsTarget === false).length;
  if (options.quick) console.log('QUICK RUN (--quick): tiny rounds, figures are not comparable with a full run.\n');
  console.log(formatTable(rows));
  console.log(
    `\n${names.length} script(s) in ${total.toFixed(0)} s (${durations.join(', ')}); node ${process.version}, ` +
      `${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} at start / ${loadavg()[0]!.toFixed(1)} at end.` +
      `\n${rows.filter((r) => r.row.meetsTarget === true).length} target(s) met, ${missed} missed${failed ? ', some scripts FAILED' : ''}.`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
