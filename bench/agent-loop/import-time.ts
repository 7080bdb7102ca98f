/**
 * Import time of each library's entry point, each measured in a fresh `node` process (no tsx, no warm module
 * cache): the milliseconds `await import(entry)` takes, after Node itself has started. Claw is measured on the
 * tsup build from support/claw-build.ts.
 */
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../support/measure';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

/** Milliseconds to import `specifier` in a fresh node process started in bench/. */
function importOnce(specifier: string): number {
  const code = `const t=process.hrtime.bigint();await import(${JSON.stringify(specifier)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: BENCH_DIR, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return Number(out);
}

/**
 * Median import time of each entry over `rounds` fresh processes, interleaved; one unmeasured round first so the
 * OS file cache is warm for everyone.
 */
export function measureImportTimes(entries: readonly { name: string; specifier: string }[], rounds: number): Map<string, number> {
  for (const entry of entries) importOnce(entry.specifier);
  const times = new Map<string, number[]>(entries.map((e) => [e.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const entry of entries) times.get(entry.name)!.push(importOnce(entry.specifier));
  }
  return new Map([...times].map(([name, values]) => [name, median(values)]));
}
