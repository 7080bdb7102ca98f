import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliUsageError } from '../cli-error';

/** The two scaffolds `claw init` writes. */
export type ScaffoldKind = 'service' | 'skill';

/** Names a scaffold is filled in with. */
export interface ScaffoldNames {
  /** npm package name. */
  package: string;
  /** Skill name, kebab-case (`notes`, `ticket-triage`). */
  name: string;
}

const SKILL_NAME = /^[a-z][a-z0-9-]{0,40}$/;
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** Names from the target directory: `skills-weather` becomes skill `weather` in package `skills-weather`. */
export function namesFor(dir: string, overrides: { name?: string; package?: string }): ScaffoldNames {
  const base = basename(resolve(dir)).toLowerCase();
  const name = overrides.name ?? (base.replace(/^(claw-)?skills?-/, '').replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+|-+$/g, '') || 'notes');
  const pkg = overrides.package ?? (base.replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || name);
  if (!SKILL_NAME.test(name)) throw new CliUsageError(`--name "${name}" is not a skill name: use a-z, 0-9 and -, starting with a letter.`);
  if (!PACKAGE_NAME.test(pkg)) throw new CliUsageError(`--package "${pkg}" is not an npm package name.`);
  return { package: pkg, name };
}

/**
 * Writes a scaffold into `dir` (created when missing) and returns the files written, relative to it. Refuses a
 * directory that already has files, so nothing of a person's is ever overwritten.
 * @throws CliUsageError when `dir` is a file or not empty.
 */
export function writeScaffold(kind: ScaffoldKind, dir: string, names: ScaffoldNames, clawVersion: string): string[] {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new CliUsageError(`${target} is a file; pass a new or empty directory.`);
    if (readdirSync(target).length > 0) throw new CliUsageError(`${target} is not empty; pass a new or empty directory (nothing was written).`);
  }
  const root = join(templatesDir(), kind);
  const tokens = tokensFor(names, clawVersion);
  const files = listFiles(root).map((file) => {
    // Stored as `_gitignore` and `_package.json`: npm drops `.gitignore` from a tarball, and a nested package.json
    // would read as part of this package.
    const relativePath = fill(relative(root, file), tokens).replace(/(^|\/)_(gitignore|package\.json)$/, (_, dir: string, name: string) => `${dir}${name === 'gitignore' ? '.gitignore' : name}`);
    return { relativePath, content: fill(readFileSync(file, 'utf8'), tokens) };
  });
  for (const { relativePath, content } of files) {
    mkdirSync(dirname(join(target, relativePath)), { recursive: true });
    writeFileSync(join(target, relativePath), content, { flag: 'wx' });
  }
  return files.map((f) => f.relativePath).sort();
}

function tokensFor(names: ScaffoldNames, clawVersion: string): Record<string, string> {
  const words = names.name.split('-');
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return {
    package: names.package,
    name: names.name,
    Name: pascal,
    camel: pascal[0]!.toLowerCase() + pascal.slice(1),
    snake: words.join('_'),
    SNAKE: words.join('_').toUpperCase(),
    clawVersion,
  };
}

function fill(text: string, tokens: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (match, key: string) => (Object.hasOwn(tokens, key) ? tokens[key]! : match));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** `templates/` of this package, from the sources (`src/init/`) or the build (`dist/`). */
function templatesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'skill')) && existsSync(join(dir, 'package.json'))) return join(dir, 'templates');
    if (dirname(dir) === dir) throw new Error('The @claw/cli templates folder is missing from this installation.');
  }
}
