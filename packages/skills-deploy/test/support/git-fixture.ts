import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The deploy CLI under test/fixtures, run as `bash deploy.sh ...`. */
export const DEPLOY_SCRIPT = fileURLToPath(new URL('../fixtures/deploy.sh', import.meta.url));

/** True when git and bash exist; tests needing them run when true or on CI (where a missing binary must fail). */
export const hasGitAndBash = ['git', 'bash'].every((binary) => spawnSync(binary, ['--version']).status === 0);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Priya Deployer',
  GIT_AUTHOR_EMAIL: 'priya@example.com',
  GIT_COMMITTER_NAME: 'Priya Deployer',
  GIT_COMMITTER_EMAIL: 'priya@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** A bare "origin" with a known history, a deploy root, and the shas of its commits. */
export interface GitFixture {
  dir: string;
  origin: string;
  root: string;
  /** `v1` and `v2` (= main) deploy fine; `brokenHealth` fails its health check; `brokenSmoke` fails after the switch; `slow` hangs in its health check. */
  shas: { v1: string; v2: string; brokenHealth: string; brokenSmoke: string; slow: string };
  /** The environment variables the deploy script needs. */
  env: { DEPLOY_ORIGIN: string; DEPLOY_ROOT: string };
  /** The sha `current` points at in an environment, or undefined. */
  live(environment: string): string | undefined;
  /** True when a release directory of that sha exists in the environment. */
  hasRelease(environment: string, sha: string): boolean;
  cleanup(): void;
}

interface Template {
  origin: string;
  shas: GitFixture['shas'];
}

let template: Template | undefined;

/**
 * Builds the origin once per test file (two dozen git commands are slow on a loaded machine); every fixture
 * gets its own copy of it. History: v1 "Initial release" ← v2 "Add greeting" (main) ← three branches off v2:
 * `broken-health`, `broken-smoke`, `slow`.
 */
function originTemplate(): Template {
  if (template) return template;
  const dir = mkdtempSync(join(tmpdir(), 'claw-deploy-template-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const work = join(dir, 'work');
  const origin = join(dir, 'origin.git');
  mkdirSync(work);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: work, env: GIT_ENV, encoding: 'utf8' }).trim();
  const commit = (message: string, files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(work, name), content);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };

  git('init', '-q', '-b', 'main');
  const v1 = commit('Initial release', { 'app.txt': 'hello v1\n', 'healthcheck.sh': 'test -f app.txt\n' });
  git('tag', 'v1');
  const v2 = commit('Add greeting', { 'app.txt': 'hello v2\n' });
  git('tag', 'v2');
  git('checkout', '-q', '-b', 'broken-health');
  const brokenHealth = commit('Break the health check', { 'healthcheck.sh': 'echo "database unreachable" >&2\nexit 1\n' });
  git('checkout', '-q', 'main');
  git('checkout', '-q', '-b', 'broken-smoke');
  const brokenSmoke = commit('Ship a release whose smoke test fails', { 'smoketest.sh': 'echo "500 on /health" >&2\nexit 1\n' });
  git('checkout', '-q', 'main');
  git('checkout', '-q', '-b', 'slow');
  const slow = commit('Wait for a dependency that never comes', { 'healthcheck.sh': 'sleep 30\n' });
  git('checkout', '-q', 'main');
  execFileSync('git', ['clone', '-q', '--bare', work, origin], { env: GIT_ENV });
  template = { origin, shas: { v1, v2, brokenHealth, brokenSmoke, slow } };
  return template;
}

/** A fresh copy of the bare origin (see {@link originTemplate} for its history) and an empty deploy root. */
export function createGitFixture(): GitFixture {
  const { origin: templateOrigin, shas } = originTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'claw-deploy-'));
  const origin = join(dir, 'origin.git');
  const root = join(dir, 'deploys');
  cpSync(templateOrigin, origin, { recursive: true });
  mkdirSync(root);

  const environmentDir = (environment: string) => join(root, environment);
  return {
    dir,
    origin,
    root,
    shas: { ...shas },
    env: { DEPLOY_ORIGIN: origin, DEPLOY_ROOT: root },
    live(environment) {
      const link = join(environmentDir(environment), 'current');
      return existsSync(link) ? basename(readlinkSync(link)) : undefined;
    },
    hasRelease(environment, sha) {
      return existsSync(join(environmentDir(environment), 'releases', sha));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
