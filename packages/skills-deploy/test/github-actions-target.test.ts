import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError, deploySkill, GitHubActionsTarget, type GitHubActionsTargetOptions } from './support/imports';
import { toolContext, toolsOf } from './support/tool-harness';
import { describeDeployTarget, waitForFinal } from './support/deploy-target-suite';
import { createGitFixture, hasGitAndBash, type GitFixture } from './support/git-fixture';
import { GitHubActionsStandIn } from './support/github-actions-stand-in';

const TOKEN = 'ghp_standin_token';

function setup(options: Partial<GitHubActionsTargetOptions> = {}) {
  const fixture = createGitFixture();
  const standIn = new GitHubActionsStandIn({
    token: TOKEN,
    owner: 'acme',
    repo: 'shop',
    fixture,
    workflows: [
      { id: 101, file: 'deploy-staging.yml', environment: 'staging', inputs: ['deploy_id'] },
      { id: 102, file: 'deploy-production.yml', environment: 'production', inputs: ['deploy_id'] },
    ],
  });
  const target = () =>
    new GitHubActionsTarget({
      owner: 'acme',
      repo: 'shop',
      auth: TOKEN,
      baseUrl: standIn.url,
      workflows: { staging: 'deploy-staging.yml', production: 102 },
      findRunIntervalMs: 10,
      findRunTimeoutMs: 2_000,
      ...options,
    });
  return { fixture, standIn, target };
}

describe.runIf(hasGitAndBash || !!process.env.CI)('GitHubActionsTarget against a local GitHub Actions stand-in', () => {
  describeDeployTarget('GitHubActionsTarget', async () => {
    const { fixture, standIn, target } = setup();
    await standIn.start();
    return {
      target: target(),
      environment: 'staging',
      refs: {
        good: 'main',
        goodSha: fixture.shas.v2,
        older: 'v1',
        olderSha: fixture.shas.v1,
        failsHealthCheck: 'broken-health',
        failsAfterSwitch: 'broken-smoke',
        hangs: 'slow',
      },
      live: async () => fixture.live('staging'),
      cleanup: async () => {
        await standIn.stop();
        fixture.cleanup();
      },
    };
  });

  describe('GitHubActionsTarget', () => {
    let fixture: GitFixture | undefined;
    let standIn: GitHubActionsStandIn | undefined;
    afterEach(async () => {
      await standIn?.stop();
      fixture?.cleanup();
      standIn = undefined;
      fixture = undefined;
    });
    const start = async (options: Partial<GitHubActionsTargetOptions> = {}) => {
      const s = setup(options);
      fixture = s.fixture;
      standIn = s.standIn;
      await standIn.start();
      return s.target();
    };

    it('reports a bad token as kind auth (401), with advice', async () => {
      const target = await start({ auth: 'ghp_wrong' });
      await expect(target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'a1' })).rejects.toMatchObject({
        kind: 'auth',
        status: 401,
        message: expect.stringContaining('Bad credentials'),
      });
      expect(standIn!.runCount).toBe(0);
    });

    it('reports an unknown workflow as kind not_found (404)', async () => {
      const target = await start({ workflows: { staging: 'no-such-workflow.yml' } });
      await expect(target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'n1' })).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    });

    it('reports a bad ref (422) as kind unknown_ref and undeclared inputs (422) as invalid_request', async () => {
      const target = await start();
      await expect(target.start({ environment: 'staging', ref: 'no-such-branch', idempotencyKey: 'r1' })).rejects.toMatchObject({
        kind: 'unknown_ref',
        status: 422,
        message: expect.stringContaining('No ref found for: no-such-branch'),
      });
      const extra = new GitHubActionsTarget({
        owner: 'acme',
        repo: 'shop',
        auth: TOKEN,
        baseUrl: standIn!.url,
        workflows: { staging: 'deploy-staging.yml' },
        inputs: ({ requestId }) => ({ deploy_id: requestId, dry_run: 'false' }),
      });
      await expect(extra.start({ environment: 'staging', ref: 'main', idempotencyKey: 'r2' })).rejects.toMatchObject({
        kind: 'invalid_request',
        message: expect.stringContaining('Unexpected inputs provided'),
      });
      expect(standIn!.runCount).toBe(0);
    });

    it('reports a 429 as retryable kind rate_limited with the Retry-After delay', async () => {
      const target = await start();
      standIn!.failNext(429, { message: 'You have exceeded a secondary rate limit.', documentation_url: 'https://docs.github.com/rest' }, { 'retry-after': '7' });
      const error = await target.history('staging').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 7_000, status: 429 });
    });

    it('reports a failing run with the job and step that failed, and the release stays', async () => {
      const target = await start();
      await waitForFinal(target, (await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'f0' })).id);
      const failed = await waitForFinal(target, (await target.start({ environment: 'staging', ref: 'broken-health', idempotencyKey: 'f1' })).id);
      expect(failed).toMatchObject({ status: 'failed', reason: 'job "deploy" failed at step "Deploy"', sha: fixture!.shas.brokenHealth });
      expect(failed.url).toMatch(/^https:\/\/github\.com\/acme\/shop\/actions\/runs\/\d+$/);
      expect(failed.steps).toEqual([{ name: 'deploy', status: 'failed' }]);
      expect(fixture!.live('staging')).toBe(fixture!.shas.v2);
    });

    it('finds the run of a dispatch by its deploy_id when the server answers 204', async () => {
      const target = await start();
      standIn!.returnRunDetails = false;
      const started = await target.start({ environment: 'production', ref: 'main', idempotencyKey: 'p1' });
      expect(started.environment).toBe('production');
      expect((await waitForFinal(target, started.id)).status).toBe('succeeded');
      expect(fixture!.live('production')).toBe(fixture!.shas.v2);
      // A new process retrying the same request finds the run by its title instead of dispatching again.
      const restarted = new GitHubActionsTarget({ owner: 'acme', repo: 'shop', auth: TOKEN, baseUrl: standIn!.url, workflows: { production: 102 } });
      expect((await restarted.start({ environment: 'production', ref: 'main', idempotencyKey: 'p1' })).id).toBe(started.id);
      expect(standIn!.runCount).toBe(1);
    });

    it('leaves a run that never finishes in progress, and cancels it', async () => {
      const target = await start();
      standIn!.stuck = true;
      const started = await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 's1' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await target.status(started.id)).status).toBe('in_progress');
      await target.cancel(started.id);
      expect((await waitForFinal(target, started.id)).status).toBe('cancelled');
    });

    it('refuses to read runs of workflows it does not deploy with', async () => {
      const target = await start();
      const other = await target.start({ environment: 'production', ref: 'main', idempotencyKey: 'o1' });
      const scoped = new GitHubActionsTarget({ owner: 'acme', repo: 'shop', auth: TOKEN, baseUrl: standIn!.url, workflows: { staging: 101 } });
      await expect(scoped.status(other.id)).rejects.toMatchObject({ kind: 'not_found' });
      await expect(scoped.plan('production', 'main')).rejects.toMatchObject({ kind: 'invalid_request' });
    });

    it('works with a client of your own and honours the abort signal', async () => {
      await start();
      const octokit = new Octokit({ auth: TOKEN, baseUrl: standIn!.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
      const target = new GitHubActionsTarget({ owner: 'acme', repo: 'shop', octokit, workflows: { staging: 101 } });
      expect((await target.plan('staging', 'v1')).sha).toBe(fixture!.shas.v1);
      const controller = new AbortController();
      controller.abort();
      await expect(target.history('staging', { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    });

    it('deploy_watch times out on a run that never finishes and raises deploy-stuck', async () => {
      const target = await start();
      standIn!.stuck = true;
      const { execute } = toolsOf(
        deploySkill.configure({ target, environments: [{ name: 'staging' }], watch: { pollIntervalMs: 50, stuckAfterMs: 60_000, maxWatchMs: 5_000 } }),
      );
      const started = await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'w1' });
      const ctx = toolContext();
      const result = (await execute('deploy_watch', { deploymentId: started.id, timeoutMs: 1_000 }, ctx)) as { outcome: string; deployment: { status: string } };
      expect(result).toMatchObject({ outcome: 'still-running', deployment: { status: 'in_progress' } });
      expect(ctx.alerts).toEqual([expect.objectContaining({ kind: 'deploy-stuck', severity: 'warning', details: expect.objectContaining({ deploymentId: started.id }) })]);
    });

    it('deploy_watch raises deploy-failed for a failing run, naming the failed job', async () => {
      const target = await start();
      const { execute } = toolsOf(deploySkill.configure({ target, environments: [{ name: 'staging' }], watch: { pollIntervalMs: 20, stuckAfterMs: 60_000, maxWatchMs: 20_000 } }));
      const started = await target.start({ environment: 'staging', ref: 'broken-health', idempotencyKey: 'w2' });
      const ctx = toolContext();
      const result = (await execute('deploy_watch', { deploymentId: started.id }, ctx)) as { outcome: string };
      expect(result.outcome).toBe('failed');
      expect(ctx.alerts).toEqual([expect.objectContaining({ kind: 'deploy-failed', severity: 'critical', message: expect.stringContaining('job "deploy" failed at step "Deploy"') })]);
    });

    it('reports an unreachable server as retryable kind unavailable', async () => {
      const target = new GitHubActionsTarget({ owner: 'acme', repo: 'shop', auth: TOKEN, baseUrl: 'http://127.0.0.1:9', workflows: { staging: 101 } });
      await expect(target.history('staging')).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
    });
  });
});
