import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from './support/built-cli';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');

let cli: BuiltCli;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claw-cli-init-'));
  cli = await buildCli();
});
afterAll(() => {
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Installs the scaffold's dependencies by linking what the workspace has: `@claw/*` to the workspace packages (read
 * from their sources), third-party packages to the copies the workspace installed. Nothing is downloaded.
 */
function linkDependencies(project: string): void {
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  for (const name of names) {
    const source = name.startsWith('@claw/') ? join(ROOT, 'packages', name.slice('@claw/'.length)) : [join(ROOT, 'node_modules', name), join(ROOT, 'packages/core/node_modules', name)].find(existsSync);
    if (source === undefined) continue;
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(source), link, 'dir');
  }
}

/** Runs the scaffold's own tests with vitest, workspace packages resolved to their sources (`claw-source`). */
function runScaffoldTests(project: string): Promise<{ code: number | null; output: string }> {
  const config = join(dir, `${project.split('/').pop()}.vitest.config.mjs`);
  writeFileSync(
    config,
    `export default { root: ${JSON.stringify(project)}, resolve: { conditions: ['claw-source', 'module', 'node'] }, ssr: { resolve: { conditions: ['claw-source', 'module', 'node'] } }, test: { reporters: ['default'] } };\n`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--config', config], { cwd: project, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    // eslint-disable-next-line no-control-regex
    child.once('close', (code) => resolve({ code, output: output.replace(/\u001b\[[0-9;]*m/g, '') }));
  });
}

describe('claw init', () => {
  it('scaffolds a skill package and a service whose own tests pass right after creation', async () => {
    const [skill, service] = await Promise.all([cli.run(['init', 'skill', 'skills-weather'], { cwd: dir }), cli.run(['init', 'service', 'triage-service'], { cwd: dir })]);
    expect(skill).toMatchObject({ code: 0, stderr: '' });
    expect(skill.stdout).toContain(`Created skill skills-weather in ${join(dir, 'skills-weather')}:`);
    expect(readdirSync(join(dir, 'skills-weather')).sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'review.config.ts', 'src', 'test', 'tsconfig.json']);
    expect(readdirSync(join(dir, 'skills-weather/src')).sort()).toEqual(['in-memory-weather.ts', 'index.ts', 'tools', 'weather-backend.ts', 'weather-error.ts', 'weather-skill.ts']);
    const manifest = JSON.parse(readFileSync(join(dir, 'skills-weather/package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'skills-weather', dependencies: { '@claw/core': '^0.1.0', zod: '^4.6.7' } });
    expect(service).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(join(dir, 'triage-service/package.json'), 'utf8')).dependencies).toMatchObject({ '@claw/core': '^0.1.0', '@claw/sqlite': '^0.1.0' });

    linkDependencies(join(dir, 'skills-weather'));
    linkDependencies(join(dir, 'triage-service'));
    const [skillTests, serviceTests] = await Promise.all([runScaffoldTests(join(dir, 'skills-weather')), runScaffoldTests(join(dir, 'triage-service'))]);
    expect(skillTests.output).toMatch(/Tests\s+5 passed \(5\)/);
    expect(skillTests.code, skillTests.output).toBe(0);
    expect(serviceTests.output).toMatch(/Tests\s+3 passed \(3\)/);
    expect(serviceTests.code, serviceTests.output).toBe(0);

    // The scaffolded skill's review sheet, as its README says.
    const review = await cli.run(['skills', 'describe', '.', '--config', './review.config.ts', '--grants', 'weather:read'], { cwd: join(dir, 'skills-weather') });
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toContain('| `weather_add` | write: changes data in your systems | `weather:write` | needs approval (writes in production need approval by default) | trusted |');
  });

  it('refuses a directory that is not empty and a bad skill name, writing nothing', async () => {
    const taken = join(dir, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'notes.txt'), 'mine');
    const [notEmpty, badName] = await Promise.all([cli.run(['init', 'skill', taken]), cli.run(['init', 'skill', join(dir, 'fresh'), '--name', 'Bad Name'])]);
    expect(notEmpty).toMatchObject({ code: 2, stdout: '', stderr: `claw: ${taken} is not empty; pass a new or empty directory (nothing was written).\n` });
    expect(readdirSync(taken)).toEqual(['notes.txt']);
    expect(badName).toMatchObject({ code: 2, stdout: '', stderr: 'claw: --name "Bad Name" is not a skill name: use a-z, 0-9 and -, starting with a letter.\n' });
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  });
});
