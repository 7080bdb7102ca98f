/**
 * Every package as a consumer gets it: `pnpm release --dry-run` builds every package, each is packed with pnpm, the
 * tarballs are linted (publint, arethetypeswrong) and installed with npm into a project in a temporary directory
 * outside the workspace, together with the skill package docs/writing-a-skill.md builds (itself built, packed and
 * installed against the packed core). That project then type-checks a TypeScript service (strict,
 * skipLibCheck: false, nodenext and bundler), runs it, requires every package from CommonJS, and type-checks again
 * on another zod 4 minor. One install serves every check. Packages are found under packages/*, so a new package is
 * covered when it lands.
 *
 * The consumer project lives in a directory under os.tmpdir() named after this checkout and the third-party
 * dependencies, and is kept between runs: a later run replaces only the Claw tarballs (npm keeps the rest of
 * node_modules, so better-sqlite3 is compiled once, not on every run).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules/.bin', name);

/** A workspace package as found on disk. */
interface WorkspacePackage {
  dir: string;
  manifest: { name: string; version: string; exports?: Record<string, unknown>; private?: boolean };
}

const packages: WorkspacePackage[] = readdirSync(join(root, 'packages'))
  .filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
  .map((name) => ({ dir: join(root, 'packages', name), manifest: JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

/** The subpaths a package exports (`.`, `./testing`, …), and which of them have no CommonJS build. */
function subpaths(manifest: WorkspacePackage['manifest']): { subpath: string; esmOnly: boolean }[] {
  return Object.entries(manifest.exports ?? { '.': {} })
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const conditions = typeof target === 'object' && target !== null ? Object.keys(target) : [];
      return { subpath, esmOnly: conditions.includes('import') && !conditions.includes('require') && !conditions.includes('default') };
    });
}

/** The name of the tarball pnpm and npm write for a package. */
const tarballName = (name: string, version: string) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;

/** The zod the workspace builds with, and another zod 4 minor a consumer might be on. */
const ZOD = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).devDependencies.zod as string;
const OTHER_ZOD = '4.5.4';
const TYPESCRIPT = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.typescript as string;

/**
 * npm for the consumer: the caller's npm, the local cache first, no audit; never the settings pnpm passes to its
 * scripts. better-sqlite3 compiles against the installed Node headers when they are there (no download).
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|pnpm_)/i.test(key)) env[key] = value;
  const nodeDir = dirname(dirname(process.execPath));
  if (existsSync(join(nodeDir, 'include/node/node.h'))) env['npm_config_nodedir'] = nodeDir;
  return { ...env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env, timeout: 400_000, maxBuffer: 64 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`.slice(0, 20_000));
  }
}

const npm = (args: string[], cwd: string) => sh('npm', args, cwd, npmEnv());

/** The consumer's directory: one per checkout and set of third-party dependencies, reused by later runs. */
function consumerDirectory(): string {
  const key = createHash('sha256').update(JSON.stringify([root, process.version, ZOD, TYPESCRIPT]));
  for (const { manifest } of packages) {
    const { dependencies = {}, peerDependencies = {} } = manifest as { dependencies?: object; peerDependencies?: object };
    key.update(JSON.stringify([manifest.name, dependencies, peerDependencies]));
  }
  return join(tmpdir(), `claw-consumer-${key.digest('hex').slice(0, 16)}`);
}

/** Empties a project for a fresh install of the Claw tarballs, keeping the third-party packages npm put there. */
function resetProject(dir: string, keep: readonly string[] = []): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) if (entry !== 'node_modules' && !keep.includes(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  for (const scope of ['@claw', '@acme']) rmSync(join(dir, 'node_modules', scope), { recursive: true, force: true });
}

let work = '';
let packs = '';
let app = '';
let releaseOutput = '';

beforeAll(async () => {
  work = consumerDirectory();
  packs = join(work, 'packs');
  rmSync(packs, { recursive: true, force: true });
  mkdirSync(packs, { recursive: true });

  // The release script itself, as a dry run: it builds every package (dist/ is ignored by git) and publishes none.
  releaseOutput = await sh('pnpm', ['run', 'release', '--dry-run', '--no-git-checks'], root);
  await Promise.all(packages.map(({ dir }) => sh('pnpm', ['pack', '--pack-destination', packs], dir)));

  // The writing-a-skill package, outside the workspace: its runtime and build dependencies (not its test runner),
  // core from the tarball, then `npm pack`, whose prepack builds it.
  const skill = join(work, 'skill');
  resetProject(skill);
  const guide = join(root, 'examples/acme-skills-tickets');
  for (const entry of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src']) cpSync(join(guide, entry), join(skill, entry), { recursive: true });
  const core = packages.find(({ manifest }) => manifest.name === '@claw/core')!.manifest;
  await npm(['install', '--no-save', '--no-package-lock', join(packs, tarballName(core.name, core.version)), `zod@${ZOD}`, `typescript@${TYPESCRIPT}`, '@types/node@20.19.25'], skill);
  await npm(['pack', '--pack-destination', packs], skill);

  // The consumer: every tarball, its own zod and TypeScript, nothing else. npm 11 runs a dependency's install
  // script only when package.json allows it.
  app = join(work, 'app');
  resetProject(app);
  cpSync(join(root, 'test/consumer/app'), app, { recursive: true });
  const dependencies: Record<string, string> = { zod: ZOD, typescript: TYPESCRIPT };
  for (const file of readdirSync(packs)) {
    const name = file.startsWith('acme-') ? '@acme/skills-tickets' : packages.find(({ manifest }) => tarballName(manifest.name, manifest.version) === file)!.manifest.name;
    dependencies[name] = `file:../packs/${file}`;
  }
  // Every entry point of every package in the program, so the type check reads every published .d.ts.
  const everyEntry = packages.flatMap(({ manifest }) =>
    subpaths(manifest).map(({ subpath }) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`)),
  );
  writeFileSync(join(app, 'src/every-entry-point.ts'), everyEntry.map((entry, i) => `export type * as entry${i} from '${entry}';\n`).join(''));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'claw-consumer', private: true, type: 'module', dependencies, allowScripts: { 'better-sqlite3': true } }, null, 2),
  );
  await npm(['install'], app);
}, 600_000);

describe('release', () => {
  it('pnpm release --dry-run publishes every package and nothing private', () => {
    for (const { manifest } of packages) expect(releaseOutput).toContain(`${manifest.name}@${manifest.version}`);
    expect(releaseOutput).not.toMatch(/@claw\/(examples|bench)@/);
  });
});

describe.each(packages.map(({ manifest }) => manifest.name))('%s as packed', (name) => {
  const { manifest } = packages.find((p) => p.manifest.name === name)!;
  const tarball = () => join(packs, tarballName(manifest.name, manifest.version));

  it('has no reference to the TypeScript sources, and ships its README, LICENSE and CHANGELOG', async () => {
    const files = (await sh('tar', ['-tzf', tarball()], root)).split('\n').filter(Boolean);
    expect(files.filter((file) => file.startsWith('package/src/'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/CHANGELOG.md', 'package/package.json']));
    const packed = await sh('tar', ['-xOzf', tarball(), 'package/package.json'], root);
    expect(packed).not.toMatch(/claw-source|\.\/src\/|workspace:/);
  });

  it('passes publint', async () => {
    const bytes = readFileSync(tarball());
    const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: 'suggestion', strict: true });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`)).toEqual([]);
  });

  it('passes arethetypeswrong (ESM-only entry points are checked from ESM only)', async () => {
    const esmOnly = subpaths(manifest).filter((entry) => entry.esmOnly).map((entry) => entry.subpath);
    const args = [tarball(), '--profile', 'node16', '--no-definitely-typed', '--format', 'ascii', '--no-color', '--no-emoji'];
    await sh(bin('attw'), esmOnly.length ? [...args, '--exclude-entrypoints', ...esmOnly] : args, root);
    for (const subpath of esmOnly) {
      await sh(bin('attw'), [tarball(), '--profile', 'esm-only', '--no-definitely-typed', '--format', 'ascii', '--no-color', '--entrypoints', subpath], root);
    }
  }, 120_000);
});

describe('a consumer project outside the workspace', () => {
  it('installed no test runner and one zod, one @claw/core', () => {
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
    const nested = (name: string) =>
      readdirSync(join(app, 'node_modules/@claw')).filter((pkg) => existsSync(join(app, 'node_modules/@claw', pkg, 'node_modules', name)));
    expect(nested('zod')).toEqual([]);
    expect(nested('@claw')).toEqual([]);
  });

  it('type-checks the service under strict and skipLibCheck: false, for nodenext and for bundler', async () => {
    await sh(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.nodenext.json'], app);
    await sh(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bundler.json'], app);
  }, 300_000);

  it('runs the service: an agent with a packaged skill, SQLite stores, the scripted model and the console', async () => {
    const out = await sh(process.execPath, ['dist/service.js'], app);
    expect(out).toContain('answer: T-42 is open; checkout is operational. (final, 2 steps)');
    expect(out).toContain('tools: ticket_read=ok status_page=ok');
    expect(out).toMatch(/usage: 2 records, \d+ tokens in the ledger, \$\d+\.\d{6}\n/);
    expect(out).toContain('audit chain valid: true');
    expect(out).toContain('one @claw/core: true');
    expect(out).toContain('console: uplot.js 200 true, usage page 200 true');
    expect(existsSync(join(app, 'node_modules/uplot')), 'the console serves the uPlot copy in its own tarball').toBe(false);
    expect(out).toContain('job: digest priya=completed, 1 scheduled call(s)');
  }, 60_000);

  it('runs the installed claw bin: its version, and audit verify on a SQLite store written by @claw/sqlite', async () => {
    const cli = packages.find(({ manifest }) => manifest.name === '@claw/cli')!.manifest;
    expect((await sh(join(app, 'node_modules/.bin/claw'), ['--version'], app)).trim()).toBe(cli.version);
    const store = join(app, 'cli-store.db');
    rmSync(store, { force: true });
    writeFileSync(
      join(app, 'seed-cli-store.cjs'),
      `const { openClawDatabase } = require('@claw/sqlite');
const db = openClawDatabase(${JSON.stringify(store)});
(async () => {
  for (const type of ['run.start', 'run.end']) await db.audit.append({ type, principalId: 'priya', data: { via: 'consumer' } });
  await db.close();
})();
`,
    );
    await sh(process.execPath, ['seed-cli-store.cjs'], app);
    const verdict = JSON.parse(await sh(join(app, 'node_modules/.bin/claw'), ['--store', store, 'audit', 'verify', '--json'], app));
    expect(verdict).toMatchObject({ valid: true, entries: 2 });
  }, 60_000);

  it('requires every entry point of every package from CommonJS', async () => {
    const entries = packages.flatMap(({ manifest }) =>
      subpaths(manifest)
        .filter((entry) => !entry.esmOnly)
        .map((entry) => (entry.subpath === '.' ? manifest.name : `${manifest.name}/${entry.subpath.slice(2)}`)),
    );
    const script = `const entries = ${JSON.stringify(entries)};
for (const entry of entries) {
  const exported = Object.keys(require(entry));
  if (exported.length === 0) throw new Error(entry + ' exports nothing');
  console.log(entry + ': ' + exported.length);
}
const { Agent } = require('@claw/core');
const { ScriptedModel } = require('@claw/core/testing');
const agent = new Agent({ model: new ScriptedModel([{ text: 'hi' }]), principal: { id: 'priya' }, grants: [] });
agent.run('hello').then((result) => console.log('run: ' + result.text + ' ' + result.stopReason));
`;
    writeFileSync(join(app, 'consumer.cjs'), script);
    const out = await sh(process.execPath, ['consumer.cjs'], app);
    for (const entry of entries) expect(out).toContain(`${entry}: `);
    expect(out).toContain('run: hi final');
  }, 60_000);

  it(`type-checks again on zod ${OTHER_ZOD}, another zod 4 minor`, async () => {
    await npm(['install', `zod@${OTHER_ZOD}`], app);
    expect(JSON.parse(readFileSync(join(app, 'node_modules/zod/package.json'), 'utf8')).version).toBe(OTHER_ZOD);
    await sh(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.nodenext.json', '--noEmit'], app);
    await sh(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bundler.json'], app);
  }, 300_000);
});
