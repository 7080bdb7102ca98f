/**
 * What every published package declares, checked on the sources (test/consumer checks the packed tarballs):
 * licence and repository metadata, the Node version, dependency ranges that let a consumer share one @claw/core and
 * one zod, and READMEs that read correctly on the registry page. Packages are found under packages/*.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY = 'https://github.com/claw-sdk/claw';
const json = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const rootManifest = json('package.json');

const names = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));

type Ranges = Record<string, string> | undefined;

describe.each(names)('packages/%s', (name) => {
  const manifest = json(`packages/${name}/package.json`);
  const readme = existsSync(join(root, 'packages', name, 'README.md')) ? readFileSync(join(root, 'packages', name, 'README.md'), 'utf8') : '';

  it('has a LICENSE (MIT), a CHANGELOG, repository, homepage, bugs and the same Node version as the workspace', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(root, 'packages', name, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(existsSync(join(root, 'packages', name, 'CHANGELOG.md'))).toBe(true);
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${name}` });
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/packages/${name}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(manifest.engines).toEqual(rootManifest.engines);
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE', 'CHANGELOG.md']));
  });

  it('shares @claw/* and zod with the consumer as peers, and uses ranges for everything else', () => {
    const dependencies: Ranges = manifest.dependencies;
    const peers: Ranges = manifest.peerDependencies;
    for (const [dependency, range] of Object.entries(dependencies ?? {})) {
      expect(dependency, `${dependency} must be a peer dependency`).not.toMatch(/^(@claw\/|zod$)/);
      expect(range, `${dependency}: use a range, not an exact version`).toMatch(/^(\^|~|>=)/);
    }
    for (const [dependency, range] of Object.entries(peers ?? {})) {
      if (dependency.startsWith('@claw/')) expect(range).toBe('workspace:^');
      else expect(range, `${dependency}: use a range`).toMatch(/^(\^|~|>=)/);
    }
    if (peers?.['zod']) expect(peers['zod']).toBe('^4.0.0');
  });

  it('has a README whose links work on the registry page', () => {
    expect(readme).not.toBe('');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
    expect(links.filter((link) => !/^(https?:|mailto:|#)/.test(link)), 'relative links break on the registry page').toEqual([]);
    const inRepository = links.filter((link) => link.startsWith(`${REPOSITORY}/blob/main/`) || link.startsWith(`${REPOSITORY}/tree/main/`));
    const missing = inRepository.filter((link) => !existsSync(join(root, link.replace(/^.*?\/(blob|tree)\/main\//, '').split('#')[0]!)));
    expect(missing).toEqual([]);
    expect(readme).not.toContain('claw-source');
  });

  it('is resolved to its sources by vitest.config.ts', () => {
    expect(readFileSync(join(root, 'vitest.config.ts'), 'utf8')).toContain(`'${name}'`);
  });
});

describe('guides and READMEs', () => {
  it('name one Node version, the one the workspace requires', () => {
    const required = (rootManifest.engines.node as string).replace('>=', '');
    const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), ...names.map((n) => `packages/${n}/README.md`)];
    const versions = files.flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/Node(?:\.js)? (\d+\.\d+)/g)].map((m) => `${file}: ${m[1]}`));
    expect(versions.filter((entry) => !entry.endsWith(`: ${required}`))).toEqual([]);
  });

  it('never tell a reader to run with the workspace-only claw-source condition', () => {
    const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    expect(files.filter((file) => readFileSync(join(root, file), 'utf8').includes('claw-source'))).toEqual([]);
  });
});
