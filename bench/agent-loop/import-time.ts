/**
 * Import time of each library's entry point, each measured in a fresh `node` process (no tsx, no warm module
 * cache): the milliseconds `await import(entry)` takes, after Node itself has started. Claw is measured on a
 * build of @claw/core made here with tsup (ESM, node20, its npm dependencies left external as in the published
 * package), written under bench/node_modules/.cache so nothing in packages/ is touched.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { median } from '../support/measure';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(BENCH_DIR);

/** Builds @claw/core from source to an ESM bundle and returns its file URL. */
export async function buildClawCore(): Promise<string> {
  const outDir = join(BENCH_DIR, 'node_modules', '.cache', 'claw-bench-core');
  mkdirSync(outDir, { recursive: true });
  await build({
    entry: { index: join(ROOT, 'packages', 'core', 'src', 'index.ts') },
    format: ['esm'],
    target: 'node20',
    outDir,
    // As published: dependencies stay imports. zod and tiktoken resolve from bench/node_modules (same versions);
    // eventemitter3 and croner are not bench dependencies, so they are bundled in (a few KB).
    external: ['zod', 'tiktoken', '@opentelemetry/api'],
    noExternal: ['eventemitter3', 'croner'],
    dts: false,
    sourcemap: false,
    clean: true,
    silent: true,
    config: false,
  });
  return pathToFileURL(join(outDir, 'index.js')).href;
}

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
