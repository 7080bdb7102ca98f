import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfiguredSkill, Skill } from '@claw/core';
import { CliUsageError } from '../cli-error';

/** The skills a module exports: defined ones still to configure, and configured ones as they are. */
export interface LoadedSkills {
  /** The file that was imported. */
  file: string;
  skills: Skill<unknown>[];
  configured: ConfiguredSkill[];
}

/**
 * Imports a skill package or file and collects every skill it exports. `target` is a path (a file, or a package
 * directory whose `package.json` names its entry) or a package name resolved from `cwd`'s `node_modules`.
 * TypeScript sources load as they are.
 * @throws CliUsageError when nothing is found there, the module fails to load, or it exports no skill.
 */
export async function loadSkills(target: string, cwd: string): Promise<LoadedSkills> {
  const file = resolveEntry(target, cwd);
  const namespace = await importModule(file, cwd, `skill module ${target}`);
  const skills: Skill<unknown>[] = [];
  const configured: ConfiguredSkill[] = [];
  for (const value of new Set([...Object.values(namespace), ...Object.values(commonJsExports(namespace) ?? {})])) {
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (kind === 'claw.skill') skills.push(value as Skill<unknown>);
    else if (kind === 'claw.configured-skill') configured.push(value as ConfiguredSkill);
  }
  if (skills.length === 0 && configured.length === 0) {
    throw new CliUsageError(`${target} (${file}) exports no skill: export the result of defineSkill() or skill.configure().`);
  }
  // A module exporting a skill and a configured copy of it describes the configured one.
  return { file, skills: skills.filter((s) => !configured.some((c) => c.name === s.name)), configured };
}

/**
 * Loads a `--config` file: JSON, or a module whose default export is the config (or a function returning it).
 * @throws CliUsageError when it cannot be read.
 */
export async function loadConfigFile(path: string, cwd: string): Promise<unknown> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(file)) throw new CliUsageError(`No config file at ${file}.`);
  if (extname(file) === '.json') {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CliUsageError(`The config file ${file} is not valid JSON: ${(error as Error).message}.`);
    }
  }
  const namespace = await importModule(file, cwd, `config module ${path}`);
  const value = commonJsExports(namespace)?.default ?? namespace.default ?? namespace.config;
  return typeof value === 'function' ? await (value as () => unknown)() : value;
}

async function importModule(file: string, cwd: string, what: string): Promise<Record<string, unknown>> {
  // tsx loads TypeScript skill sources as they are; it is imported only when a module is loaded.
  const { tsImport } = await import('tsx/esm/api');
  try {
    return (await tsImport(pathToFileURL(file).href, pathToFileURL(join(cwd, 'noop.js')).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliUsageError(`Could not load the ${what} (${file}): ${(error as Error).message}`);
  }
}

/** The exports object of a module compiled to CommonJS (a `.ts` file outside a `"type": "module"` package). */
function commonJsExports(namespace: Record<string, unknown>): Record<string, unknown> | undefined {
  const exports = namespace.default as Record<string, unknown> | undefined;
  return exports !== null && typeof exports === 'object' && exports.__esModule === true ? exports : undefined;
}

function resolveEntry(target: string, cwd: string): string {
  const isPath = target.startsWith('.') || isAbsolute(target) || existsSync(resolve(cwd, target));
  if (isPath) {
    const path = isAbsolute(target) ? target : resolve(cwd, target);
    if (!existsSync(path)) throw new CliUsageError(`Nothing at ${path}: pass a skill package directory, a module file or a package name.`);
    return statSync(path).isDirectory() ? packageEntry(path) : path;
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', target);
    if (existsSync(join(candidate, 'package.json'))) return packageEntry(candidate);
    if (dirname(dir) === dir) break;
  }
  throw new CliUsageError(`Package "${target}" is not installed in ${cwd} or above it: install it, or pass its path.`);
}

/** The module a package directory's `package.json` names for `import` (falling back to its sources when unbuilt). */
function packageEntry(dir: string): string {
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) {
    for (const name of ['index.ts', 'src/index.ts', 'index.js']) if (existsSync(join(dir, name))) return join(dir, name);
    throw new CliUsageError(`${dir} has no package.json and no index file: pass the skill's module file.`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; module?: string; main?: string };
  const root = typeof manifest.exports === 'object' && manifest.exports !== null && '.' in manifest.exports ? (manifest.exports as Record<string, unknown>)['.'] : manifest.exports;
  const candidates = [pick(root, ['import', 'default', 'node']), manifest.module, manifest.main, pick(root, ['claw-source']), 'src/index.ts', 'index.js'];
  for (const candidate of candidates) if (typeof candidate === 'string' && existsSync(join(dir, candidate))) return join(dir, candidate);
  throw new CliUsageError(`Cannot find the entry module of ${dir}: is the package built?`);
}

/** The first target of an `exports` entry under the given conditions (nested conditions included). */
function pick(entry: unknown, conditions: readonly string[]): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const condition of conditions) {
    const value = (entry as Record<string, unknown>)[condition];
    const found = pick(value, conditions.includes('default') ? conditions : [...conditions, 'default']);
    if (found !== undefined) return found;
  }
  return undefined;
}
