/**
 * What a service that depends on @claw/core alone gets: the size of its node_modules after `npm install @claw/core
 * zod` (core packed with pnpm, as published; the rest from the npm cache or registry), how much of it is tiktoken,
 * and the latency of the first `countTokens` call in a fresh process (import, then the first count, which loads the
 * tokenizer), next to tiktoken's own first `encode` in the same project. The project is made under os.tmpdir();
 * building core writes only its git-ignored dist/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './bench-row';
import { median, scaled } from './support/measure';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const ROUNDS = scaled(7, 2);

/** Bytes of every file under `dir` (what the install puts on disk, before block rounding). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Milliseconds from the start of `code` to its end, in a fresh node process in `cwd`. */
function fresh(code: string, cwd: string): { importMs: number; firstMs: number } {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(out) as { importMs: number; firstMs: number };
}

const CLAW = `const t0 = performance.now();
const { countTokens } = await import('@claw/core');
const t1 = performance.now();
countTokens('The first message of the day, counted with o200k_base.', 'o200k_base');
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1 }));`;

const TIKTOKEN = `const t0 = performance.now();
const { get_encoding } = await import('tiktoken');
const t1 = performance.now();
get_encoding('o200k_base').encode_ordinary('The first message of the day, counted with o200k_base.').length;
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1 }));`;

export default async function consumerInstall(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'claw-bench-install-'));
  try {
    execFileSync('pnpm', ['--filter', '@claw/core', 'build'], { cwd: ROOT, stdio: 'ignore' });
    execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: join(ROOT, 'packages/core'), stdio: 'ignore' });
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'))!;
    const zod = JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')).devDependencies.zod as string;
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'core-only', private: true, type: 'module', dependencies: { '@claw/core': `file:../${tarball}`, zod } }));
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|pnpm_)/i.test(key)) env[key] = value;
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, stdio: 'ignore', env });

    const modules = join(app, 'node_modules');
    const total = bytesUnder(modules) / 1e6;
    const tiktoken = bytesUnder(join(modules, 'tiktoken')) / 1e6;
    const claw = [];
    const peer = [];
    for (let round = 0; round < ROUNDS; round++) {
      claw.push(fresh(CLAW, app));
      peer.push(fresh(TIKTOKEN, app));
    }
    const clawFirst = median(claw.map((r) => r.importMs + r.firstMs));
    const peerFirst = median(peer.map((r) => r.importMs + r.firstMs));
    return [
      { figure: 'core-only consumer: node_modules after npm install @claw/core zod', value: Number(total.toFixed(1)), unit: 'MB', comparedWith: 'tiktoken alone in it', comparedValue: Number(tiktoken.toFixed(1)) },
      {
        figure: 'core-only consumer: first countTokens in a fresh process (import + first call, median)',
        value: Number(clawFirst.toFixed(1)),
        unit: 'ms',
        comparedWith: "tiktoken's import + get_encoding + first encode",
        comparedValue: Number(peerFirst.toFixed(1)),
      },
      { figure: 'core-only consumer: of which importing @claw/core (median)', value: Number(median(claw.map((r) => r.importMs)).toFixed(1)), unit: 'ms' },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
