import { describe, expect, it } from 'vitest';
import { InMemoryTarget, InvalidArgumentError } from './support/imports';
import { describeDeployTarget, waitForFinal } from './support/deploy-target-suite';

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
const COMMITS = [
  { sha: sha(1), subject: 'Initial release' },
  { sha: sha(2), subject: 'Add greeting', author: 'Priya' },
  { sha: sha(3), subject: 'Break the health check', behaviour: 'fails-health-check' as const },
  { sha: sha(4), subject: 'Ship a release whose smoke test fails', behaviour: 'fails-after-switch' as const },
  { sha: sha(5), subject: 'Wait forever', behaviour: 'hangs' as const },
];
const REFS = { v1: sha(1), main: sha(2), 'broken-health': sha(3), 'broken-smoke': sha(4), slow: sha(5) };

describeDeployTarget('InMemoryTarget', async () => {
  const target = new InMemoryTarget({ commits: COMMITS, refs: REFS, phaseMs: 1 });
  return {
    target,
    environment: 'staging',
    refs: { good: 'main', goodSha: sha(2), older: 'v1', olderSha: sha(1), failsHealthCheck: 'broken-health', failsAfterSwitch: 'broken-smoke', hangs: 'slow' },
    live: async () => (await target.current('staging'))?.sha,
    cleanup: async () => {},
  };
});

describe('InMemoryTarget', () => {
  it('refuses refs and live releases that name commits it does not have', () => {
    expect(() => new InMemoryTarget({ commits: COMMITS, refs: { main: sha(9) } })).toThrow(InvalidArgumentError);
    expect(() => new InMemoryTarget({ commits: COMMITS, live: { production: sha(9) } })).toThrow(InvalidArgumentError);
  });

  it('starts with the configured live releases and plans from them', async () => {
    const target = new InMemoryTarget({ commits: COMMITS, refs: REFS, live: { production: sha(1) } });
    expect((await target.current('production'))?.sha).toBe(sha(1));
    const plan = await target.plan('production', 'main');
    expect(plan.commits).toEqual([{ sha: sha(2), subject: 'Add greeting', author: 'Priya' }]);
  });

  it('can make a commit behave differently per environment', async () => {
    const target = new InMemoryTarget({
      commits: [{ sha: sha(1), subject: 'Only production breaks', behaviour: { production: 'fails-health-check' } }],
      refs: { main: sha(1) },
      phaseMs: 1,
    });
    const wait = async (environment: string) => waitForFinal(target, (await target.start({ environment, ref: 'main', idempotencyKey: environment })).id);
    expect((await wait('staging')).status).toBe('succeeded');
    expect((await wait('production')).status).toBe('failed');
  });

  it('resolves unique sha prefixes of 7 or more characters only', async () => {
    const target = new InMemoryTarget({ commits: COMMITS, refs: REFS });
    expect((await target.plan('staging', sha(3).slice(0, 7))).sha).toBe(sha(3));
    await expect(target.plan('staging', sha(3).slice(0, 6))).rejects.toMatchObject({ kind: 'unknown_ref' });
  });
});
