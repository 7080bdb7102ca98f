import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaConfig } from './fixtures/replica';
import { eventually, startReplica, stopReplicas, uniqueSchema, type Replica } from './helpers';
import { hasPostgresBinaries, startPostgresServer, type PostgresServer } from '../../postgres/test/postgres-server';

const PRINCIPALS = ['p1', 'p2', 'p3', 'p4', 'p5'];

describe.runIf(hasPostgresBinaries || !!process.env.CI)('@claw/pg-boss across replica processes', () => {
  let server: PostgresServer;
  let admin: pg.Pool;

  beforeAll(async () => {
    server = await startPostgresServer();
    admin = new pg.Pool({ connectionString: server.connectionString, max: 4 });
    admin.on('error', () => {});
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  /** Fresh schemas for one scenario, with the side-effect tables the replicas' tool writes. */
  async function scenario(overrides: Partial<ReplicaConfig> = {}) {
    const base: Omit<ReplicaConfig, 'name'> = {
      url: server.connectionString,
      schema: uniqueSchema('jobs'),
      clawSchema: uniqueSchema('claw'),
      effectsSchema: uniqueSchema('fx'),
      every: 1000,
      principals: PRINCIPALS,
      turnMs: [20, 80],
      leaseSeconds: 10,
      ...overrides,
    };
    await admin.query(`CREATE SCHEMA "${base.effectsSchema}"`);
    await admin.query(`CREATE TABLE "${base.effectsSchema}".effects (key text PRIMARY KEY, replica text NOT NULL)`);
    await admin.query(`CREATE TABLE "${base.effectsSchema}".effect_attempts (key text NOT NULL, replica text NOT NULL)`);
    const start = async (name: string) => {
      const replica = startReplica({ ...base, name });
      await replica.waitFor('ready\n', 60_000);
      return replica;
    };
    /** Ticks of the next `seconds` whole seconds fan out on every given replica. */
    const openWindow = async (replicas: readonly Replica[], seconds: number) => {
      const from = Math.ceil(Date.now() / 1000) * 1000 + 1000;
      const until = from + seconds * 1000;
      for (const replica of replicas) replica.send(`window ${from} ${until}`);
      await Promise.all(replicas.map((replica) => replica.waitFor(`window ${from}`)));
      return { from, until, ticks: Array.from({ length: seconds }, (_, i) => from + i * 1000) };
    };
    const keysFor = (ticks: readonly number[], principals = PRINCIPALS) =>
      ticks.flatMap((tick) => principals.map((p) => `tick:${p}:${new Date(tick).toISOString()}`)).sort();
    const history = async () =>
      (await admin.query(`SELECT idempotency_key AS key, principal_id, outcome, attempt, run_id FROM "${base.schema}".claw_job_runs ORDER BY idempotency_key`)).rows as
        { key: string; principal_id: string; outcome: string; attempt: number; run_id: string }[];
    const effects = async () => (await admin.query(`SELECT key, replica FROM "${base.effectsSchema}".effects ORDER BY key`)).rows as { key: string; replica: string }[];
    const attempts = async () =>
      (await admin.query(`SELECT key, count(*)::int AS n FROM "${base.effectsSchema}".effect_attempts GROUP BY key ORDER BY key`)).rows as { key: string; n: number }[];
    const usage = async () =>
      (await admin.query(`SELECT run_id, principal_id, status, total_tokens FROM "${base.clawSchema}".usage_records ORDER BY at, id`)).rows as
        { run_id: string; principal_id: string; status: string; total_tokens: number }[];
    return { base, start, openWindow, keysFor, history, effects, attempts, usage };
  }

  it('3 replicas, a job every second for 10 s over 5 people: each (principal, tick) runs once, by ledger and by side effects; a late replica re-runs nothing', async () => {
    const s = await scenario({ quiet: ['quiet'], principals: [...PRINCIPALS, 'quiet'] });
    const replicas = await Promise.all(['r1', 'r2', 'r3'].map((name) => s.start(name)));
    try {
      const { until, ticks, from } = await s.openWindow(replicas, 10);
      const expected = s.keysFor(ticks);
      await eventually(async () => Date.now() > until + 500 && (await s.history()).length === expected.length + ticks.length, 30_000, 'every tick to finish');

      const history = await s.history();
      expect(history.filter((h) => h.principal_id !== 'quiet').map((h) => [h.key, h.outcome])).toEqual(expected.map((key) => [key, 'completed']));
      // A false precondition: recorded as skipped, and not one usage record.
      expect(history.filter((h) => h.principal_id === 'quiet').map((h) => h.outcome)).toEqual(ticks.map(() => 'skipped'));

      // From the usage ledger: exactly one run per (principal, tick), and none for the skipped person.
      const usage = await s.usage();
      expect(usage.some((u) => u.principal_id === 'quiet')).toBe(false);
      const runsByKey = new Map<string, Set<string>>();
      for (const record of usage) {
        const key = record.run_id.slice(0, record.run_id.lastIndexOf('#'));
        runsByKey.set(key, (runsByKey.get(key) ?? new Set()).add(record.run_id));
      }
      expect([...runsByKey.keys()].sort()).toEqual(expected);
      expect([...runsByKey.values()].every((runs) => runs.size === 1)).toBe(true);
      expect(usage).toHaveLength(expected.length * 2);

      // From the side effects: each performed once, attempted once, and the work was shared between replicas.
      const effects = await s.effects();
      expect(effects.map((e) => e.key)).toEqual(expected);
      expect((await s.attempts()).every((a) => a.n === 1)).toBe(true);
      expect(new Set(effects.map((e) => e.replica)).size).toBeGreaterThanOrEqual(2);
      const audit = await admin.query(`SELECT type, count(*)::int AS n FROM "${s.base.clawSchema}".audit_entries GROUP BY type ORDER BY type`);
      expect(audit.rows).toEqual([{ type: 'job.end', n: expected.length }, { type: 'job.skip', n: ticks.length }, { type: 'job.start', n: expected.length }]);

      // A replica that starts late, sees the same window and asks for an already finished tick again, runs nothing.
      const late = await s.start('late');
      replicas.push(late);
      late.send(`window ${from} ${until}`);
      late.send(`tick ${ticks[3]}`);
      await late.waitFor(`sent ${ticks[3]}`);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(late.output()).not.toContain('start ');
      expect(await s.usage()).toHaveLength(usage.length);
      expect((await s.attempts()).length).toBe(expected.length);
    } finally {
      const summaries = await stopReplicas(replicas);
      expect(summaries.every((summary) => summary !== undefined)).toBe(true);
    }
  }, 90_000);

  it('SIGKILL a replica mid-job 10 times: every tick completes once and no side effect is performed twice', async () => {
    const s = await scenario({ turnMs: [100, 400], leaseSeconds: 2 });
    let replicas = await Promise.all(['r1', 'r2', 'r3'].map((name) => s.start(name)));
    const killed: Replica[] = [];
    try {
      const { ticks, until } = await s.openWindow(replicas, 10);
      for (let kill = 0; kill < 10; kill++) {
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 600));
        // Kill a replica in the middle of a run (any replica that is up, once the window has passed). At times
        // every replica is down: ticks due then are enqueued by the replacements as they start (catch-up).
        const up = replicas.filter((r) => r.output().includes('ready\n'));
        const busy = up.filter((r) => {
          const out = r.output();
          return out.lastIndexOf('start ') > out.lastIndexOf('end ');
        });
        const candidates = busy.length > 0 ? busy : Date.now() > until ? up : [];
        if (candidates.length === 0) {
          kill -= 1;
          continue;
        }
        const victim = candidates[Math.floor(Math.random() * candidates.length)]!;
        victim.kill('SIGKILL');
        await victim.exited;
        killed.push(victim);
        const replacement = startReplica({ ...s.base, name: `k${kill}`, window: { from: ticks[0]!, until } });
        replicas = replicas.map((r) => (r === victim ? replacement : r));
      }
      await Promise.all(replicas.map((r) => r.waitFor('ready\n', 60_000)));
      const expected = s.keysFor(ticks);
      await eventually(async () => {
        const history = await s.history();
        return history.length === expected.length && history.every((h) => h.outcome === 'completed');
      }, 60_000, 'every tick to complete after the kills').catch(async (error) => {
        const history = await s.history();
        const missing = expected.filter((key) => !history.some((h) => h.key === key));
        const jobs = await admin.query(`SELECT name, state, retry_count, singleton_key, output, started_on, created_on, completed_on FROM "${s.base.schema}".job WHERE singleton_key LIKE $1 OR singleton_key LIKE $2`, [`%${missing[0]?.slice(-24)}`, `tick@${missing[0]?.slice(-24)}`]);
        throw new Error(`${(error as Error).message}\nmissing: ${missing.join(', ')}\nnot completed: ${JSON.stringify(history.filter((h) => h.outcome !== 'completed'))}\njobs: ${JSON.stringify(jobs.rows)}\n${[...killed, ...replicas].map((r) => r.name + ': ' + r.output().split('\n').filter((l) => !l.startsWith('start') && !l.startsWith('end')).join('|')).join('\n')}`);
      });

      const effects = await s.effects();
      expect(effects.map((e) => e.key)).toEqual(expected);
      const attempts = await s.attempts();
      expect(attempts.map((a) => a.key)).toEqual(expected);
      // The kills really interrupted runs: some were retried (by another replica), some side effects re-attempted.
      const history = await s.history();
      const retried = history.filter((h) => h.attempt > 1).length;
      expect(retried + attempts.filter((a) => a.n > 1).length).toBeGreaterThan(0);
      // Each completed run is in the ledger under the attempt that finished it.
      const runIds = new Set((await s.usage()).map((u) => u.run_id));
      expect(history.every((h) => runIds.has(h.run_id))).toBe(true);
    } finally {
      await stopReplicas(replicas);
    }
    expect(killed).toHaveLength(10);
  }, 120_000);

  it('a per-person heartbeat budget shared by 3 replicas: once spent, later ticks are refused and recorded as refused', async () => {
    const s = await scenario({ trigger: 'heartbeat', maxTokensPerPerson: 1500, principals: ['p1', 'p2', 'p3'] });
    const replicas = await Promise.all(['r1', 'r2', 'r3'].map((name) => s.start(name)));
    try {
      const { ticks, until } = await s.openWindow(replicas, 8);
      await eventually(async () => Date.now() > until + 500 && (await s.history()).length === ticks.length * 3, 30_000, 'every tick to finish');
      const history = await s.history();
      const usage = await s.usage();
      for (const person of ['p1', 'p2', 'p3']) {
        const outcomes = history.filter((h) => h.principal_id === person).map((h) => h.outcome);
        expect(outcomes).toContain('completed');
        expect(outcomes).toContain('refused');
        // Never more than the budget, however the replicas interleaved.
        const spent = usage.filter((u) => u.principal_id === person).reduce((sum, u) => sum + Number(u.total_tokens), 0);
        // The budget reserves input + output limit before each call and clamps the limit to what is left; the
        // scripted model returns its tool call whole even under a clamped limit, so one call may overrun slightly.
        expect(spent).toBeLessThanOrEqual(1500 + 16);
        const refusedRuns = history.filter((h) => h.principal_id === person && h.outcome === 'refused').map((h) => h.run_id);
        for (const runId of refusedRuns) expect(usage.filter((u) => u.run_id === runId).map((u) => u.status)).toContain('refused');
      }
      const audit = await admin.query(`SELECT count(*)::int AS n FROM "${s.base.clawSchema}".audit_entries WHERE type = 'job.end' AND data::jsonb->>'outcome' = 'refused'`);
      expect(audit.rows[0].n).toBe(history.filter((h) => h.outcome === 'refused').length);
    } finally {
      await stopReplicas(replicas);
    }
  }, 90_000);

  it('stopping a replica aborts its running job through the signal; another replica retries it', async () => {
    const s = await scenario({ turnMs: [2500, 2500], principals: ['p1'] });
    const replicas = await Promise.all(['r1', 'r2'].map((name) => s.start(name)));
    try {
      const { ticks } = await s.openWindow(replicas, 1);
      const key = s.keysFor(ticks)[0]!;
      await Promise.race(replicas.map((r) => r.waitFor(`start ${key} 1`, 15_000))).catch(async (e) => {
        const jobs = await admin.query(`SELECT name, state, retry_count, singleton_key, output, start_after, started_on, created_on, completed_on FROM "${s.base.schema}".job`);
        throw new Error(`${e.message}\nnow ${new Date().toISOString()} ${JSON.stringify(jobs.rows, null, 1)}\n${replicas.map((r) => r.output()).join('\n---\n')}`);
      });
      const [busy, other] = replicas[0]!.output().includes(`start ${key} 1`) ? [replicas[0]!, replicas[1]!] : [replicas[1]!, replicas[0]!];
      busy.kill('SIGTERM');
      const exit = await busy.exited;
      expect(exit.code).toBe(0);
      expect(exit.summary).toMatchObject({ ended: { aborted: 1 } });
      expect((exit.summary as { stopMs: number }).stopMs).toBeLessThan(5000);
      await other.waitFor(`start ${key} 2`, 15_000);
      await eventually(async () => (await s.history()).some((h) => h.key === key && h.outcome === 'completed' && h.attempt === 2), 15_000, 'the retry to complete');
      expect((await s.effects()).map((e) => e.key)).toEqual([key]);
    } finally {
      await stopReplicas(replicas);
    }
  }, 60_000);
});
