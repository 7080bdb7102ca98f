import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, JobDefinitionError } from '../errors';
import { Meter } from '../metering/meter';
import { ScriptedModel } from '../testing/scripted-model';
import type { DreamDiff } from './dream-diff';
import { InMemoryMemoryStore } from './in-memory-memory-store';
import { scheduleDreams, type DreamSchedule } from './schedule-dreams';

const stopping: DreamSchedule[] = [];
afterEach(async () => {
  await Promise.all(stopping.splice(0).map((s) => s.stop()));
});

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

describe('scheduleDreams', () => {
  it('never runs two rounds at once, even when a round outlasts the interval or runNow is called meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    let rounds = 0;
    let skipped = 0;
    const schedule = scheduleDreams({
      cron: '* * * * * *',
      principals: [{ id: 'priya' }],
      run: async (principal, signal) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        rounds += 1;
        await sleep(1500, signal);
        running -= 1;
        return { outcome: 'nothing-to-consolidate', principalId: principal.id } as DreamDiff;
      },
      onSkip: () => {
        skipped += 1;
      },
    });
    stopping.push(schedule);
    await vi.waitFor(() => expect(schedule.running).toBe(true), { timeout: 3000, interval: 20 });
    const joined = schedule.runNow();
    expect(rounds).toBe(1);
    await joined;
    await vi.waitFor(() => expect(rounds).toBeGreaterThanOrEqual(2), { timeout: 4000, interval: 20 });
    await vi.waitFor(() => expect(skipped).toBeGreaterThanOrEqual(1), { timeout: 3000, interval: 20 });
    await schedule.stop();
    expect(maxRunning).toBe(1);
    expect(schedule.nextRun()).toBeNull();
  });

  it('dreams for each principal with shared options, reports results and errors, and keeps going', async () => {
    const store = new InMemoryMemoryStore();
    const results: [string, string][] = [];
    const errors: unknown[] = [];
    const schedule = scheduleDreams({
      cron: '0 3 * * *',
      principals: async () => [{ id: 'priya' }, { id: '' }, { id: 'raj' }],
      run: { store, model: new ScriptedModel([]), meter: new Meter(), budget: { maxTokens: 1000 } },
      onResult: (diff, principal) => results.push([principal.id, diff.outcome]),
      onError: (error) => errors.push(error),
    });
    stopping.push(schedule);
    expect(schedule.nextRun()).toBeInstanceOf(Date);
    await schedule.runNow();
    expect(results).toEqual([['priya', 'nothing-to-consolidate'], ['raj', 'nothing-to-consolidate']]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvalidArgumentError);
  });

  it('rejects an invalid cron pattern', () => {
    expect(() => scheduleDreams({ cron: 'every night', principals: [], run: async () => ({}) as DreamDiff })).toThrow(JobDefinitionError);
  });
});
