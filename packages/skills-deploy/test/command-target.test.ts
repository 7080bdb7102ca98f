import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandTarget, InvalidArgumentError, StoreError, type CommandTargetOptions } from './support/imports';
import { describeDeployTarget, waitForFinal } from './support/deploy-target-suite';
import { createGitFixture, DEPLOY_SCRIPT, hasGitAndBash, type GitFixture } from './support/git-fixture';

const EXIT_CODES: CommandTargetOptions['exitCodes'] = {
  2: { status: 'failed', reason: 'unknown ref or release', error: 'unknown_ref' },
  3: { status: 'failed', reason: 'health check failed; the live release is unchanged' },
  4: { status: 'failed', reason: 'smoke test failed after the switch; the new release is live' },
  5: { status: 'failed', reason: 'another deploy holds the lock' },
};

function commandTarget(fixture: GitFixture, overrides: Partial<CommandTargetOptions> = {}): CommandTarget {
  return new CommandTarget({
    commands: {
      deploy: ['bash', DEPLOY_SCRIPT, 'deploy', '{environment}', '{sha}'],
      rollback: ['bash', DEPLOY_SCRIPT, 'rollback', '{environment}', '{sha}'],
      plan: ['bash', DEPLOY_SCRIPT, 'plan', '{environment}', '{ref}'],
      current: ['bash', DEPLOY_SCRIPT, 'current', '{environment}'],
    },
    cwd: fixture.dir,
    env: { allow: ['PATH'], set: fixture.env },
    exitCodes: EXIT_CODES,
    killGraceMs: 500,
    ...overrides,
  });
}

describe.runIf(hasGitAndBash || !!process.env.CI)('CommandTarget with a real git origin and deploy script', () => {
  describeDeployTarget('CommandTarget', async () => {
    const fixture = createGitFixture();
    const target = commandTarget(fixture);
    return {
      target,
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
        await target.close();
        fixture.cleanup();
      },
    };
  });

  describe('CommandTarget', () => {
    let fixture: GitFixture;
    let target: CommandTarget | undefined;
    afterEach(async () => {
      await target?.close();
      target = undefined;
      fixture?.cleanup();
    });

    it('passes only allowlisted variables, plus what it sets, to the command', async () => {
      fixture = createGitFixture();
      const envDump = join(fixture.dir, 'env-dump.sh');
      writeFileSync(envDump, 'env | sort > "$1"\n');
      process.env.CLAW_TEST_SECRET = 'do-not-leak';
      try {
        target = commandTarget(fixture, {
          commands: {
            deploy: ['bash', envDump, join(fixture.dir, 'env.txt')],
            rollback: ['true'],
            plan: ['bash', DEPLOY_SCRIPT, 'plan', '{environment}', '{ref}'],
          },
        });
        const started = await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'env-1', requestedBy: 'priya' });
        expect((await waitForFinal(target, started.id)).status).toBe('succeeded');
      } finally {
        delete process.env.CLAW_TEST_SECRET;
      }
      const env = readFileSync(join(fixture.dir, 'env.txt'), 'utf8');
      expect(env).not.toContain('CLAW_TEST_SECRET');
      expect(env).not.toMatch(/^HOME=/m);
      expect(env).toMatch(/^PATH=/m);
      expect(env).toContain(`DEPLOY_ORIGIN=${fixture.origin}`);
      expect(env).toContain('CLAW_DEPLOY_ENVIRONMENT=staging');
      expect(env).toContain(`CLAW_DEPLOY_SHA=${fixture.shas.v2}`);
      expect(env).toContain('CLAW_DEPLOY_REQUESTED_BY=priya');
    });

    it('passes arguments as argv, never through a shell', async () => {
      fixture = createGitFixture();
      const marker = join(fixture.dir, 'pwned');
      target = commandTarget(fixture, {
        commands: {
          deploy: ['bash', DEPLOY_SCRIPT, 'deploy', '{environment}', '{sha}'],
          rollback: ['true'],
          plan: ['printf', 'claw.sha=%s\\n', `{ref}$(touch ${marker})`],
        },
      });
      const plan = await target.plan('staging', 'main');
      expect(plan.sha).toBe(`main$(touch ${marker})`);
      expect(existsSync(marker)).toBe(false);
    });

    it('maps exit codes to outcomes and keeps the end of the output', async () => {
      fixture = createGitFixture();
      target = commandTarget(fixture);
      const failed = await waitForFinal(target, (await target.start({ environment: 'staging', ref: 'broken-health', idempotencyKey: 'x1' })).id);
      expect(failed).toMatchObject({ status: 'failed', reason: 'health check failed; the live release is unchanged', sha: fixture.shas.brokenHealth });
      expect(failed.log).toContain('database unreachable');
      expect(fixture.live('staging')).toBeUndefined();
    });

    it('reports an unlisted non-zero exit code with the code', async () => {
      fixture = createGitFixture();
      target = commandTarget(fixture, {
        commands: { deploy: ['bash', '-c', 'echo boom >&2; exit 7'], rollback: ['true'], plan: ['bash', DEPLOY_SCRIPT, 'plan', '{environment}', '{ref}'] },
      });
      const done = await waitForFinal(target, (await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'x7' })).id);
      expect(done).toMatchObject({ status: 'failed', reason: 'the deploy command exited with code 7' });
      expect(done.log).toContain('boom');
    });

    it('stops a deploy that runs past its timeout, and everything it started', async () => {
      fixture = createGitFixture();
      target = commandTarget(fixture, { timeoutMs: 300 });
      const started = await target.start({ environment: 'staging', ref: 'slow', idempotencyKey: 't1' });
      const done = await waitForFinal(target, started.id);
      expect(done.status).toBe('timed_out');
      expect(done.reason).toContain('300 ms');
      expect(fixture.live('staging')).toBeUndefined();
      // The lock the script held is free again: its whole process group is gone.
      const patient = commandTarget(fixture);
      const next = await waitForFinal(patient, (await patient.start({ environment: 'staging', ref: 'main', idempotencyKey: 't2' })).id);
      expect(next.status).toBe('succeeded');
    });

    it('keeps only the tail of a large output', async () => {
      fixture = createGitFixture();
      target = commandTarget(fixture, {
        maxOutputBytes: 1024,
        commands: {
          deploy: ['bash', '-c', 'for i in $(seq 1 2000); do echo "line $i"; done'],
          rollback: ['true'],
          plan: ['bash', DEPLOY_SCRIPT, 'plan', '{environment}', '{ref}'],
        },
      });
      const done = await waitForFinal(target, (await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 'big' })).id);
      expect(done.log).toMatch(/^\[\d+ earlier bytes dropped\]/);
      expect(done.log).toContain('line 2000');
      expect(done.log).not.toContain('line 1\n');
      expect(Buffer.byteLength(done.log!)).toBeLessThan(1200);
    });

    it('reports a plan command failure with its exit code meaning and output', async () => {
      fixture = createGitFixture();
      target = commandTarget(fixture);
      await expect(target.plan('staging', 'nope')).rejects.toMatchObject({ kind: 'unknown_ref', message: expect.stringContaining('unknown ref: nope') });
      target = commandTarget(fixture, { commands: { deploy: ['true'], rollback: ['true'], plan: ['/nonexistent/deploy-cli'] } });
      await expect(target.plan('staging', 'main')).rejects.toMatchObject({ kind: 'command_failed', message: expect.stringContaining('could not start') });
    });

    it('keeps history, rollback targets and idempotency keys across restarts with a state file', async () => {
      fixture = createGitFixture();
      const stateFile = join(fixture.dir, 'deploy-state.json');
      target = commandTarget(fixture, { stateFile });
      const first = await waitForFinal(target, (await target.start({ environment: 'staging', ref: 'v1', idempotencyKey: 's1' })).id);
      await waitForFinal(target, (await target.start({ environment: 'staging', ref: 'main', idempotencyKey: 's2' })).id);
      const hanging = await target.start({ environment: 'staging', ref: 'slow', idempotencyKey: 's3' });
      // The state as a process that died mid-deploy left it.
      const orphaned = join(fixture.dir, 'orphaned-state.json');
      copyFileSync(stateFile, orphaned);
      await target.close();

      const restarted = commandTarget(fixture, { stateFile: orphaned });
      const history = await restarted.history('staging');
      expect(history.map((d) => d.id)).toEqual([hanging.id, expect.any(String), first.id]);
      expect(history[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('exited before it finished') });
      expect((await restarted.start({ environment: 'staging', ref: 'v1', idempotencyKey: 's1' })).id).toBe(first.id);
      await expect(restarted.start({ environment: 'staging', ref: 'main', idempotencyKey: 's1' })).rejects.toMatchObject({ kind: 'conflict' });
      const back = await waitForFinal(restarted, (await restarted.rollback({ environment: 'staging', toSha: fixture.shas.v1.slice(0, 10), idempotencyKey: 's4' })).id);
      expect(back).toMatchObject({ status: 'succeeded', sha: fixture.shas.v1 });
      expect(fixture.live('staging')).toBe(fixture.shas.v1);
      expect(JSON.parse(readFileSync(orphaned, 'utf8')).deployments[0].id).toBe(back.id);
    });

    it('refuses a state file it did not write, and says when it cannot write one', async () => {
      fixture = createGitFixture();
      const stateFile = join(fixture.dir, 'foreign.json');
      writeFileSync(stateFile, JSON.stringify({ something: 'else' }));
      target = commandTarget(fixture, { stateFile });
      await expect(target.history('staging')).rejects.toBeInstanceOf(StoreError);
      // A state file in a directory that does not exist: every write fails.
      const blocked = commandTarget(fixture, { stateFile: join(fixture.dir, 'missing-dir', 'state.json') });
      await expect(blocked.start({ environment: 'staging', ref: 'main', idempotencyKey: 'w1' })).rejects.toBeInstanceOf(StoreError);
      await blocked.close();
    });

    it('rejects malformed commands at construction', () => {
      const ok = { deploy: ['true'], rollback: ['true'], plan: ['true'] };
      expect(() => new CommandTarget({ commands: { ...ok, deploy: [] } })).toThrow(InvalidArgumentError);
      expect(() => new CommandTarget({ commands: { ...ok, deploy: ['deploy', '{branch}'] } })).toThrow(/\{branch\}/);
      expect(() => new CommandTarget({ commands: { deploy: ['true'], rollback: ['true'] } as never })).toThrow(/plan/);
    });
  });
});
