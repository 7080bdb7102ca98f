import { describe, expect, it, vi } from 'vitest';
import { DeployTargetError } from '../errors';
import type { DeployTarget, Deployment } from '../target/deploy-target';
import { watchDeployment } from './watch-deployment';

const base: Deployment = { id: 'd1', environment: 'staging', kind: 'deploy', ref: 'main', status: 'in_progress', startedAt: 0 };
const unavailable = () => new DeployTargetError({ target: 'fake', kind: 'unavailable', message: 'backend down' });

/** A target whose status answers come from a script: a deployment, or an error to throw. */
function scripted(answers: (Deployment | Error)[]): DeployTarget {
  let i = 0;
  const status = async () => {
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { kind: 'fake', status } as unknown as DeployTarget;
}

const options = { pollIntervalMs: 1, stuckAfterMs: 10_000, timeoutMs: 10_000 };

describe('watchDeployment', () => {
  it('records each change of status and step until the end', async () => {
    const target = scripted([
      { ...base, status: 'queued' },
      { ...base, steps: [{ name: 'build', status: 'in_progress' }] },
      { ...base, steps: [{ name: 'build', status: 'in_progress' }] },
      { ...base, steps: [{ name: 'build', status: 'succeeded' }, ] },
      { ...base, status: 'succeeded' },
    ]);
    const result = await watchDeployment(target, 'd1', options);
    expect(result.outcome).toBe('succeeded');
    expect(result.transitions.map((t) => [t.status, t.step])).toEqual([
      ['queued', undefined],
      ['in_progress', 'build'],
      ['in_progress', undefined],
      ['succeeded', undefined],
    ]);
  });

  it('rides out a few retryable errors in a row', async () => {
    const target = scripted([base, unavailable(), unavailable(), { ...base, status: 'failed', reason: 'boom' }]);
    expect((await watchDeployment(target, 'd1', options)).outcome).toBe('failed');
  });

  it('waits as long as a rate limit asks before polling again', async () => {
    vi.useFakeTimers();
    try {
      const limited = new DeployTargetError({ target: 'fake', kind: 'rate_limited', message: 'slow down', retryAfterMs: 150 });
      let calls = 0;
      const answers: (Deployment | Error)[] = [base, limited, { ...base, status: 'succeeded' }];
      const target = {
        kind: 'fake',
        status: async () => {
          const answer = answers[calls++]!;
          if (answer instanceof Error) throw answer;
          return answer;
        },
      } as unknown as DeployTarget;
      const watching = watchDeployment(target, 'd1', options);
      await vi.advanceTimersByTimeAsync(10);
      expect(calls).toBe(2);
      await vi.advanceTimersByTimeAsync(100);
      expect(calls).toBe(2);
      await vi.advanceTimersByTimeAsync(60);
      expect(calls).toBe(3);
      expect((await watching).outcome).toBe('succeeded');
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up after too many retryable errors, and at once on others', async () => {
    await expect(watchDeployment(scripted([base, unavailable(), unavailable(), unavailable()]), 'd1', options)).rejects.toThrow('backend down');
    const auth = new DeployTargetError({ target: 'fake', kind: 'auth', message: 'bad token' });
    await expect(watchDeployment(scripted([base, auth, { ...base, status: 'succeeded' }]), 'd1', options)).rejects.toBe(auth);
  });
});
