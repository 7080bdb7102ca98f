import { afterEach, describe, expect, it } from 'vitest';
import { DeployTargetError, isFinalStatus, type DeployTarget, type Deployment } from '../../src';

/** A target under test with refs of known behaviour in one environment. */
export interface TargetUnderTest {
  target: DeployTarget;
  environment: string;
  refs: {
    /** Deploys fine; `goodSha` is its commit. */
    good: string;
    goodSha: string;
    /** An older release that deploys fine; `olderSha` is its commit (the parent of `goodSha`). */
    older: string;
    olderSha: string;
    /** Its health check fails before the switch: the live release must not change. */
    failsHealthCheck: string;
    /** Its smoke test fails after the switch: the broken release is live until rolled back. */
    failsAfterSwitch: string;
    /** Never finishes by itself. */
    hangs: string;
  };
  /** What the environment really runs (the `current` symlink for real targets). */
  live(): Promise<string | undefined>;
  cleanup(): Promise<void>;
}

/** Polls until the deployment reaches a final status. */
export async function waitForFinal(target: DeployTarget, id: string, timeoutMs = 20_000): Promise<Deployment> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deployment = await target.status(id);
    if (isFinalStatus(deployment.status)) return deployment;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${deployment.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function expectTargetError(promise: Promise<unknown>, kind: DeployTargetError['kind']): Promise<DeployTargetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeployTargetError);
  expect((error as DeployTargetError).kind).toBe(kind);
  return error as DeployTargetError;
}

/**
 * The behaviour every `DeployTarget` must show. Each test gets a fresh target from `create`.
 */
export function describeDeployTarget(name: string, create: () => Promise<TargetUnderTest>): void {
  describe(`DeployTarget contract: ${name}`, () => {
    let t: TargetUnderTest | undefined;
    const setup = async () => (t = await create());
    afterEach(async () => {
      await t?.cleanup();
      t = undefined;
    });
    let keys = 0;
    const deploy = async (u: TargetUnderTest, ref: string) => {
      const started = await u.target.start({ environment: u.environment, ref, idempotencyKey: `key-${++keys}`, requestedBy: 'priya' });
      return waitForFinal(u.target, started.id);
    };

    it('plans the first deploy: resolves the ref, nothing live, commits newest first', async () => {
      const u = await setup();
      const plan = await u.target.plan(u.environment, u.refs.good);
      expect(plan.sha).toBe(u.refs.goodSha);
      expect(plan.current).toBeUndefined();
      expect(plan.commits.map((c) => c.sha).slice(0, 2)).toEqual([u.refs.goodSha, u.refs.olderSha]);
      expect(plan.commits[0]!.subject).not.toBe('');
    });

    it('refuses an unknown ref and a ref that looks like an option, starting nothing', async () => {
      const u = await setup();
      await expectTargetError(u.target.plan(u.environment, 'no-such-branch'), 'unknown_ref');
      await expectTargetError(u.target.start({ environment: u.environment, ref: 'no-such-branch', idempotencyKey: 'k-unknown' }), 'unknown_ref');
      await expectTargetError(u.target.start({ environment: u.environment, ref: '--upload-pack=touch /tmp/x', idempotencyKey: 'k-opt' }), 'invalid_request');
      expect(await u.target.history(u.environment)).toEqual([]);
    });

    it('deploys a ref to the end: succeeded, live, current and in history', async () => {
      const u = await setup();
      const started = await u.target.start({ environment: u.environment, ref: u.refs.good, idempotencyKey: 'k1' });
      expect(['queued', 'in_progress', 'succeeded']).toContain(started.status);
      expect(started.environment).toBe(u.environment);
      const done = await waitForFinal(u.target, started.id);
      expect(done).toMatchObject({ id: started.id, status: 'succeeded', sha: u.refs.goodSha, kind: 'deploy' });
      expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt);
      expect(await u.live()).toBe(u.refs.goodSha);
      expect((await u.target.current(u.environment))?.sha).toBe(u.refs.goodSha);
      const history = await u.target.history(u.environment);
      expect(history.map((d) => d.id)).toEqual([started.id]);
    });

    it('starts one deployment per idempotency key, even for concurrent retries', async () => {
      const u = await setup();
      const request = { environment: u.environment, ref: u.refs.good, idempotencyKey: 'same-key' };
      const [a, b] = await Promise.all([u.target.start(request), u.target.start(request)]);
      expect(b.id).toBe(a.id);
      await waitForFinal(u.target, a.id);
      const again = await u.target.start(request);
      expect(again.id).toBe(a.id);
      expect(again.status).toBe('succeeded');
      expect(await u.target.history(u.environment)).toHaveLength(1);
      await expectTargetError(u.target.start({ ...request, ref: u.refs.older }), 'conflict');
    });

    it('lists the commits since the live release in a plan', async () => {
      const u = await setup();
      await deploy(u, u.refs.older);
      const plan = await u.target.plan(u.environment, u.refs.good);
      expect(plan.current?.sha).toBe(u.refs.olderSha);
      expect(plan.commits.map((c) => c.sha)).toEqual([u.refs.goodSha]);
    });

    it('keeps the live release when the health check fails', async () => {
      const u = await setup();
      await deploy(u, u.refs.good);
      const failed = await deploy(u, u.refs.failsHealthCheck);
      expect(failed.status).toBe('failed');
      expect(failed.reason).toBeTruthy();
      expect(await u.live()).toBe(u.refs.goodSha);
      expect((await u.target.current(u.environment))?.sha).toBe(u.refs.goodSha);
    });

    it('rolls back to the last good release after a release fails its smoke test', async () => {
      const u = await setup();
      await deploy(u, u.refs.older);
      await deploy(u, u.refs.good);
      const broken = await deploy(u, u.refs.failsAfterSwitch);
      expect(broken.status).toBe('failed');
      expect(await u.live()).toBe(broken.sha);
      const rollback = await u.target.rollback({ environment: u.environment, idempotencyKey: 'rb-1', reason: 'smoke test failed' });
      expect(rollback.kind).toBe('rollback');
      const done = await waitForFinal(u.target, rollback.id);
      expect(done).toMatchObject({ status: 'succeeded', sha: u.refs.goodSha, kind: 'rollback' });
      expect(await u.live()).toBe(u.refs.goodSha);
      const retried = await u.target.rollback({ environment: u.environment, idempotencyKey: 'rb-1' });
      expect(retried.id).toBe(rollback.id);
    });

    it('rolls back from a good release to the one before it, or to a named one', async () => {
      const u = await setup();
      await deploy(u, u.refs.older);
      await deploy(u, u.refs.good);
      const back = await waitForFinal(u.target, (await u.target.rollback({ environment: u.environment, idempotencyKey: 'rb-a' })).id);
      expect(back.sha).toBe(u.refs.olderSha);
      expect(await u.live()).toBe(u.refs.olderSha);
      const named = await u.target.rollback({ environment: u.environment, toSha: u.refs.goodSha.slice(0, 12), idempotencyKey: 'rb-b' });
      expect((await waitForFinal(u.target, named.id)).sha).toBe(u.refs.goodSha);
      expect(await u.live()).toBe(u.refs.goodSha);
    });

    it('refuses a rollback when there is nothing to go back to', async () => {
      const u = await setup();
      await expectTargetError(u.target.rollback({ environment: u.environment, idempotencyKey: 'rb-none' }), 'not_found');
      await deploy(u, u.refs.good);
      await expectTargetError(u.target.rollback({ environment: u.environment, idempotencyKey: 'rb-none-2' }), 'not_found');
      await expectTargetError(u.target.rollback({ environment: u.environment, toSha: 'abcdef1234567', idempotencyKey: 'rb-x' }), 'not_found');
      await expectTargetError(u.target.rollback({ environment: u.environment, toSha: 'not-a-sha', idempotencyKey: 'rb-y' }), 'invalid_request');
    });

    it('cancels a deployment that hangs, leaving the live release', async () => {
      const u = await setup();
      await deploy(u, u.refs.good);
      const started = await u.target.start({ environment: u.environment, ref: u.refs.hangs, idempotencyKey: 'k-hang' });
      for (let i = 0; i < 200 && (await u.target.status(started.id)).status === 'queued'; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await u.target.status(started.id)).status).toBe('in_progress');
      await u.target.cancel(started.id);
      const done = await waitForFinal(u.target, started.id);
      expect(done.status).toBe('cancelled');
      expect(await u.live()).toBe(u.refs.goodSha);
      expect((await u.target.cancel(started.id)).status).toBe('cancelled');
    });

    it('reports an unknown deployment id as not_found', async () => {
      const u = await setup();
      await expectTargetError(u.target.status('no-such-deployment'), 'not_found');
    });
  });
}
