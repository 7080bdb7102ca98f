/**
 * Child-process entry of `bench/run.ts`: imports one `*.bench.ts` file, runs its default export and sends the
 * rows (or the error) to the parent over IPC. One process per script keeps heaps and JIT state apart.
 */
import { pathToFileURL } from 'node:url';
import type { BenchRow } from '../bench-row';

/** What the child sends to the parent. */
export type RunOneMessage = { type: 'rows'; rows: BenchRow[] } | { type: 'error'; message: string; stack?: string };

async function main(): Promise<RunOneMessage> {
  const file = process.argv[2];
  if (!file) return { type: 'error', message: 'run-one needs the benchmark file as its argument.' };
  try {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (typeof module.default !== 'function') {
      return { type: 'error', message: `${file} must default-export an async function returning BenchRow[].` };
    }
    const rows = (await (module.default as () => Promise<unknown>)()) as BenchRow[];
    return { type: 'rows', rows };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { type: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  }
}

const message = await main();
if (!process.send) {
  console.log(JSON.stringify(message, null, 2));
  process.exit(message.type === 'rows' ? 0 : 1);
}
// Exit explicitly once the message is flushed: a benchmark may leave timers or pools behind.
process.send(message, undefined, {}, () => process.exit(message.type === 'rows' ? 0 : 1));
