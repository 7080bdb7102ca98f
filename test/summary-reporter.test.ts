/**
 * The closing line CI reads (`N passed, N failed, N skipped`, printed by scripts/summary-reporter.ts) counts every
 * failure: failed tests, failing hooks of a file or a suite, files that fail to load. Each case runs vitest on a
 * small project in a temporary directory, the way `pnpm test` runs on this repository.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const reporter = pathToFileURL(join(root, 'scripts/summary-reporter.ts')).href;
const dirs: string[] = [];

/** Runs vitest on a project made of `files` and returns its output (it exits non-zero when something failed). */
async function vitestOn(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'claw-summary-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    `import SummaryReporter from ${JSON.stringify(reporter)};\nexport default { test: { globals: true, include: ['*.test.mjs'], reporters: [new SummaryReporter()] } };\n`,
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const env = { ...process.env, CI: 'true', NO_COLOR: '1' };
  const output = await run(process.execPath, [vitest, 'run'], { cwd: dir, env, timeout: 60_000 }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  return output.trim().split('\n').at(-1) ?? '';
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the summary line', () => {
  it('counts a suite whose beforeAll fails as failed, and the tests it kept from running as skipped', async () => {
    const line = await vitestOn({
      'server.test.mjs': `describe('PostgreSQL', () => {\n  beforeAll(() => { throw new Error('initdb not found'); });\n  it('one', () => {});\n  it('two', () => {});\n});\n`,
    });
    expect(line).toBe('0 passed, 1 failed, 2 skipped');
  });

  it("counts a file whose top-level beforeAll fails", async () => {
    const line = await vitestOn({ 'file.test.mjs': `beforeAll(() => { throw new Error('no server'); });\nit('one', () => {});\n` });
    expect(line).toBe('0 passed, 1 failed, 1 skipped');
  });

  it("counts failing hooks of a suite and a file's afterAll, next to passing and failing tests", async () => {
    const line = await vitestOn({
      'a.test.mjs': `describe('needs a server', () => {\n  beforeAll(() => { throw new Error('no server'); });\n  it('query', () => {});\n});\nit('passes', () => {});\n`,
      'b.test.mjs': `afterAll(() => { throw new Error('cleanup failed'); });\nit('passes too', () => {});\nit('fails', () => { throw new Error('wrong'); });\n`,
      'c.test.mjs': `import './missing-module.mjs';\nit('never collected', () => {});\n`,
    });
    expect(line).toBe('2 passed, 4 failed, 1 skipped');
  });
});

describe('vitest.config.ts', () => {
  it('loads without the Vite config-loader warning', async () => {
    const { stdout, stderr } = await run(process.execPath, [vitest, 'list', '--filesOnly', 'scripts/none'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
    expect(`${stdout}${stderr}`).not.toMatch(/configLoader|VITE_CONFIG_NATIVE_IGNORE_WARNING/);
  });
});
