import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../agent/agent';
import { InMemoryUsageLedger } from '../metering/in-memory-usage-ledger';
import { Meter } from '../metering/meter';
import { InMemoryAuditLog } from '../policy/in-memory-audit-log';
import type { Principal } from '../policy/principal';
import { FakeClock } from '../testing/fake-clock';
import { ScriptedModel } from '../testing/scripted-model';
import { defineTool } from '../tools/define-tool';
import { defineJob } from './define-job';
import type { JobEventMap } from './job-events';
import { scheduleJobs, type InProcessJobScheduler } from './schedule-jobs';

const running: InProcessJobScheduler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
function start(...args: Parameters<typeof scheduleJobs>): InProcessJobScheduler {
  const scheduler = scheduleJobs(...args);
  running.push(scheduler);
  return scheduler;
}

const people: Principal[] = [{ id: 'priya', team: 'platform' }, { id: 'raj', team: 'platform' }];

/** A tool with side effects that performs each (idempotency key, input) once, as a real backend should. */
function recordingTool() {
  const performed = new Map<string, number>();
  const keys: (string | undefined)[] = [];
  const tool = defineTool({
    name: 'archive_newsletters',
    description: 'Archive newsletters',
    input: z.object({ folder: z.string() }),
    scopes: ['email:write'],
    effect: 'write',
    execute: (input, ctx) => {
      keys.push(ctx.idempotencyKey);
      const key = `${ctx.idempotencyKey}|${input.folder}`;
      performed.set(key, (performed.get(key) ?? 0) + 1);
      return { archived: performed.get(key) === 1 ? 3 : 0 };
    },
  });
  return { tool, performed, keys };
}

describe('scheduleJobs (in process, fake clock)', () => {
  it('fires "07:00 Europe/Berlin" once per day at local 07:00 across both DST changes', async () => {
    for (const [from, to] of [['2026-03-26T12:00:00Z', '2026-04-01T12:00:00Z'], ['2026-10-22T12:00:00Z', '2026-10-28T12:00:00Z']] as const) {
      const clock = new FakeClock(from);
      const fired: number[] = [];
      const job = defineJob({ name: 'triage', cron: '0 7 * * *', timezone: 'Europe/Berlin', run: (ctx) => void fired.push(ctx.tick.getTime()) });
      const scheduler = start([job], { clock });
      await clock.advanceTo(to);
      await scheduler.stop();
      const local = fired.map((at) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(at));
      expect(fired).toHaveLength(6);
      expect(local.every((text) => text.endsWith('07:00'))).toBe(true);
      expect(new Set(local.map((text) => text.slice(0, 10))).size).toBe(6);
      // The UTC hour moves with the offset: 06:00Z in winter (CET), 05:00Z in summer (CEST).
      expect(new Set(fired.map((at) => new Date(at).getUTCHours()))).toEqual(new Set([5, 6]));
    }
  });

  it('asks for the principals at every tick and passes each run a key for (job, principal, tick)', async () => {
    const clock = new FakeClock('2026-12-03T06:59:00Z');
    let asked = 0;
    const directory = [people[0]!];
    const runs: [string, string][] = [];
    const job = defineJob({
      name: 'triage',
      every: 60_000,
      principals: () => {
        asked += 1;
        return [...directory];
      },
      run: (ctx) => void runs.push([ctx.principal!.id, ctx.idempotencyKey]),
    });
    start([job], { clock });
    await clock.advance(60_000);
    directory.push(people[1]!);
    await clock.advance(60_000);
    expect(asked).toBe(2);
    expect(runs).toEqual([
      ['priya', 'triage:priya:2026-12-03T07:00:00.000Z'],
      ['priya', 'triage:priya:2026-12-03T07:01:00.000Z'],
      ['raj', 'triage:raj:2026-12-03T07:01:00.000Z'],
    ]);
  });

  it('a false precondition makes no model call: 0 usage records, a skipped entry, an audit entry and job:skip', async () => {
    const clock = new FakeClock('2026-12-03T06:00:00Z');
    const ledger = new InMemoryUsageLedger();
    const audit = new InMemoryAuditLog({ clock: clock.now });
    const model = new ScriptedModel([{ text: 'nothing new' }], { whenExhausted: 'repeat-last' });
    const skips: JobEventMap['job:skip'][] = [];
    const job = defineJob({
      name: 'watch',
      every: 60_000,
      trigger: 'heartbeat',
      principals: people,
      when: () => false,
      run: (ctx) => new Agent({ model, principal: ctx.principal!, meter: new Meter({ ledger }) }).run('check', ctx.runOptions),
    });
    const scheduler = start([job], { clock, audit }).on('job:skip', (event) => skips.push(event));
    await clock.advance(60_000);
    expect(model.calls).toBe(0);
    expect(await ledger.query({})).toEqual([]);
    expect(skips.map((s) => [s.principalId, s.reason])).toEqual([['priya', 'precondition'], ['raj', 'precondition']]);
    const entries = await audit.list({ type: 'job.skip' });
    expect(entries.map((e) => e.principalId)).toEqual(['priya', 'raj']);
    expect(entries[0]!.data).toMatchObject({ job: 'watch', reason: 'precondition', idempotencyKey: 'watch:priya:2026-12-03T06:01:00.000Z' });
    const [status] = await scheduler.status();
    expect(status!.principals.map((p) => [p.principalId, p.lastOutcome])).toEqual([['priya', 'skipped'], ['raj', 'skipped']]);
  });

  it('runs agents under the job trigger with the tick key reaching their tools, and reports status', async () => {
    const clock = new FakeClock('2026-12-03T05:59:30Z');
    const ledger = new InMemoryUsageLedger();
    const { tool, keys } = recordingTool();
    const lastRuns: (number | undefined)[] = [];
    const events: string[] = [];
    const job = defineJob({
      name: 'triage',
      cron: '0 7 * * *',
      timezone: 'Europe/Berlin',
      principals: people,
      when: (ctx) => {
        lastRuns.push(ctx.lastRun?.tick);
        return true;
      },
      run: (ctx) => {
        const model = new ScriptedModel([{ toolCalls: [{ name: 'archive_newsletters', input: { folder: 'News' } }] }, { text: 'Archived.' }]);
        const agent = new Agent({ model, tools: [tool], grants: ['email:write'], environment: 'production', policy: { rules: [{ tool: 'archive_newsletters', verdict: 'allow' }] }, principal: ctx.principal!, meter: new Meter({ ledger }) });
        return agent.run('Triage my inbox', ctx.runOptions);
      },
    });
    const scheduler = start([job], { clock });
    for (const name of ['job:start', 'job:end'] as const) scheduler.on(name, (e) => events.push(`${name} ${e.principalId}`));
    expect(scheduler.nextRun('triage')).toEqual(new Date('2026-12-03T06:00:00Z'));
    await clock.advanceTo('2026-12-04T06:00:00Z');
    expect(keys).toEqual([
      'triage:priya:2026-12-03T06:00:00.000Z', 'triage:raj:2026-12-03T06:00:00.000Z',
      'triage:priya:2026-12-04T06:00:00.000Z', 'triage:raj:2026-12-04T06:00:00.000Z',
    ]);
    expect(lastRuns).toEqual([undefined, undefined, Date.parse('2026-12-03T06:00:00Z'), Date.parse('2026-12-03T06:00:00Z')]);
    expect(events.slice(0, 4)).toEqual(['job:start priya', 'job:end priya', 'job:start raj', 'job:end raj']);
    const records = await ledger.query({});
    expect(records).toHaveLength(8);
    expect(new Set(records.map((r) => r.trigger))).toEqual(new Set(['schedule']));
    expect(records[0]!.runId).toBe('triage:priya:2026-12-03T06:00:00.000Z#1');
    const [status] = await scheduler.status();
    expect(status).toMatchObject({ job: 'triage', nextRun: new Date('2026-12-05T06:00:00Z'), running: false });
    expect(status!.principals.map((p) => [p.principalId, p.lastOutcome, p.lastTick.toISOString()])).toEqual([
      ['priya', 'completed', '2026-12-04T06:00:00.000Z'],
      ['raj', 'completed', '2026-12-04T06:00:00.000Z'],
    ]);
  });

  it('a job that calls a tool without a model (agent.callTool) hands it the tick key, and the call is still decided by policy', async () => {
    const clock = new FakeClock('2026-12-03T08:59:00Z');
    const { tool, keys, performed } = recordingTool();
    const results: string[] = [];
    const job = defineJob({
      name: 'archive',
      every: 60_000,
      principals: people,
      run: async (ctx) => {
        // Only priya granted the write scope: raj's call must be denied by the same decision as a model's call.
        const grants = ctx.principal!.id === 'priya' ? ['email:write'] : [];
        const agent = new Agent({ model: new ScriptedModel([]), tools: [tool], grants, environment: 'production', policy: { rules: [{ tool: 'archive_newsletters', verdict: 'allow' }] }, principal: ctx.principal! });
        const options = { idempotencyKey: ctx.idempotencyKey, runId: ctx.runId, trigger: ctx.trigger, signal: ctx.signal };
        const first = await agent.callTool('archive_newsletters', { folder: 'News' }, options);
        // A retried tick calls again under the same key: the tool acts once.
        const again = await agent.callTool('archive_newsletters', { folder: 'News' }, options);
        const archived = (r: typeof first) => (r.status === 'ok' ? (r.output as { archived: number }).archived : '-');
        results.push(`${ctx.principal!.id} ${first.status} ${archived(first)} ${again.status} ${archived(again)}`);
      },
    });
    start([job], { clock });
    await clock.advance(60_000);
    expect(results).toEqual(['priya ok 3 ok 0', 'raj denied - denied -']);
    expect(keys).toEqual(['archive:priya:2026-12-03T09:00:00.000Z', 'archive:priya:2026-12-03T09:00:00.000Z']);
    expect([...performed.keys()]).toEqual(['archive:priya:2026-12-03T09:00:00.000Z|News']);
  });

  it('caps heartbeat spending per person: priya’s exhausted budget refuses her ticks, raj keeps running', async () => {
    const clock = new FakeClock('2026-12-03T09:00:00Z');
    const ledger = new InMemoryUsageLedger();
    // One meter (one budget store) for everyone, as a service has: the rule must still count per person.
    const meter = new Meter({ ledger, clock: clock.now, budgets: [{ per: 'principal', triggers: ['heartbeat'], windowMs: 86_400_000, maxTokens: 600 }] });
    const audit = new InMemoryAuditLog({ clock: clock.now });
    // Reported input tokens (the prompt is estimated at ~100; a report far below that would be replaced by the estimate).
    const spend = { priya: 250, raj: 100 } as Record<string, number>;
    const job = defineJob({
      name: 'watch',
      every: 60_000,
      trigger: 'heartbeat',
      principals: people,
      run: (ctx) => {
        const model = new ScriptedModel([{ text: 'ok', usage: { inputTokens: spend[ctx.principal!.id]!, outputTokens: 0 } }]);
        return new Agent({ model, principal: ctx.principal!, meter, budget: { maxOutputTokens: 20 } }).run('watch the deployment', ctx.runOptions);
      },
    });
    const scheduler = start([job], { clock, audit });
    await clock.advance(5 * 60_000);
    const byPerson = (id: string) => ledger.query({ principalIds: [id] });
    expect((await byPerson('priya')).map((r) => r.status)).toEqual(['ok', 'ok', 'refused', 'refused', 'refused']);
    expect((await byPerson('raj')).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const ends = (await audit.list({ type: 'job.end' })).map((e) => [e.principalId, e.data.outcome]);
    expect(ends.filter(([p]) => p === 'priya').map(([, o]) => o)).toEqual(['completed', 'completed', 'refused', 'refused', 'refused']);
    const [status] = await scheduler.status();
    expect(status!.principals.find((p) => p.principalId === 'priya')).toMatchObject({ lastOutcome: 'refused', lastRun: { reason: 'budget' } });
  });

  it('a run that throws is reported (job:error, failed) and the other principals still run', async () => {
    const clock = new FakeClock('2026-12-03T09:00:00Z');
    const errors: string[] = [];
    const done: string[] = [];
    const job = defineJob({
      name: 'triage',
      every: 60_000,
      principals: people,
      run: (ctx) => {
        if (ctx.principal!.id === 'priya') throw new Error('mailbox unreachable');
        done.push(ctx.principal!.id);
      },
    });
    const scheduler = start([job], { clock }).on('job:error', (e) => errors.push(`${e.principalId}: ${e.error.message}`));
    await clock.advance(60_000);
    expect(errors).toEqual(['priya: mailbox unreachable']);
    expect(done).toEqual(['raj']);
    const [status] = await scheduler.status();
    expect(status!.principals.map((p) => p.lastOutcome)).toEqual(['failed', 'completed']);
  });

  it('skips a tick that is due while the previous one runs, and stop() aborts the running one through its signal', async () => {
    const clock = new FakeClock('2026-12-03T09:00:00Z', { awaitWork: false });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let aborted = false;
    const job = defineJob({
      name: 'slow',
      every: 1000,
      run: async (ctx) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          release();
        });
        await gate;
        if (ctx.signal.aborted) throw new Error('stopped before the work was done');
      },
    });
    const skips: string[] = [];
    const scheduler = start([job], { clock }).on('job:skip', (e) => skips.push(e.reason));
    await clock.advance(1000);
    expect(scheduler.isRunning('slow')).toBe(true);
    await clock.advance(2000);
    expect(skips).toEqual(['overlap', 'overlap']);
    const ends: string[] = [];
    scheduler.on('job:end', (e) => ends.push(e.outcome));
    await scheduler.stop();
    expect(aborted).toBe(true);
    expect(ends).toEqual(['aborted']);
    expect(scheduler.nextRun('slow')).toBeNull();
  });
});
