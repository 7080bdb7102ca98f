/**
 * A build of @claw/core made the way it is published (tsup, ESM, node20, dependencies left as imports), so
 * benchmarks that compare Claw with other libraries' published builds measure Claw's build too, not the tsx
 * transform of its source (tsx keeps function names with a helper call on every closure it creates). Written
 * under bench/node_modules/.cache: nothing in packages/ is touched.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(BENCH_DIR);

let built: Promise<string> | undefined;

/** Builds @claw/core from its current source once per process and returns the bundle's file URL. */
export function buildClawCore(): Promise<string> {
  built ??= (async () => {
    const outDir = join(BENCH_DIR, 'node_modules', '.cache', 'claw-bench-core');
    mkdirSync(outDir, { recursive: true });
    await build({
      entry: { index: join(ROOT, 'packages', 'core', 'src', 'index.ts') },
      format: ['esm'],
      target: 'node20',
      outDir,
      // zod and tiktoken stay imports, resolved from bench/node_modules (the versions core depends on);
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
  })();
  return built;
}

/** The @claw/core API from that build. */
export async function importBuiltClawCore(): Promise<typeof import('@claw/core')> {
  return (await import(await buildClawCore())) as typeof import('@claw/core');
}
