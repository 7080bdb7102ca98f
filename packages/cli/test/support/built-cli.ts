import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** What one run of the bin did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The `claw` bin built by tsup, and a way to run it in a subprocess. */
export interface BuiltCli {
  bin: string;
  run(args: readonly string[], options?: { cwd?: string; env?: Record<string, string | undefined> }): Promise<CliRun>;
  remove(): void;
}

/** Workspace packages the bin is built with; their own dependencies are linked beside the build. */
const WORKSPACE = ['cli', 'core', 'sqlite', 'postgres'];

/**
 * Builds `src/bin.ts` with tsup into a fresh temporary folder and runs it with Node. The `@claw/*` packages are
 * bundled from their sources (no other package needs a build first); every other dependency stays an import,
 * resolved from a `node_modules` beside the build that links the packages the workspace installed.
 */
export async function buildCli(): Promise<BuiltCli> {
  const outDir = mkdtempSync(join(tmpdir(), 'claw-cli-bin-'));
  // Laid out like the installed package: a manifest and the scaffold templates beside the bin.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(PACKAGE_DIR, 'templates'), join(outDir, 'templates'), 'dir');
  const external = linkDependencies(join(outDir, 'node_modules'));
  await build({
    config: false,
    entry: { bin: join(PACKAGE_DIR, 'src/bin.ts') },
    format: ['esm'],
    outDir,
    target: 'node20',
    silent: true,
    noExternal: [/^@claw\//],
    external,
    esbuildOptions(options) {
      options.conditions = ['claw-source'];
    },
    banner: { js: '#!/usr/bin/env node' },
  });
  const bin = join(outDir, 'bin.js');
  return {
    bin,
    run: (args, options = {}) => runNode(bin, args, options),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

/** Links every non-workspace dependency of the workspace packages into `dir`; returns their names. */
function linkDependencies(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const names = new Set<string>();
  for (const name of WORKSPACE) {
    const packageDir = join(PACKAGE_DIR, '..', name);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (dependency.startsWith('@claw/') || names.has(dependency)) continue;
      names.add(dependency);
      const link = join(dir, dependency);
      mkdirSync(dirname(link), { recursive: true });
      const installed = join(packageDir, 'node_modules', dependency);
      if (existsSync(installed)) symlinkSync(realpathSync(installed), link, 'dir');
    }
  }
  return [...names];
}

function runNode(bin: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, CLAW_STORE: undefined, CLAW_ORG: undefined, FORCE_COLOR: '0', ...options.env };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    const child = spawn(process.execPath, ['--import', tsxLoader, '--conditions=claw-source', bin, ...args], {
      cwd: options.cwd ?? PACKAGE_DIR,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
