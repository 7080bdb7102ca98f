import { describe, expect, it } from 'vitest';
import { AccessDeniedError } from '../errors';
import { InMemoryAuditLog } from '../policy/in-memory-audit-log';
import { emptyCategoryCounts } from './conversation-counter';
import { InMemoryUsageLedger } from './in-memory-usage-ledger';
import { InMemoryOrgDirectory } from './org-directory';
import type { UsageRecord } from './usage-record';
import { UsageReports } from './usage-reports';

const directory = new InMemoryOrgDirectory({
  ceo: {},
  raj: { managerId: 'ceo', team: 'leads' },
  priya: { managerId: 'raj', team: 'payments' },
  sam: { managerId: 'raj', team: 'payments' },
  ana: { managerId: 'raj', team: 'payments' },
  li: { managerId: 'raj', team: 'payments' },
  kim: { managerId: 'raj', team: 'payments' },
  zoe: { managerId: 'ceo', team: 'design' },
});

let n = 0;
function record(principalId: string, fields: Partial<UsageRecord> = {}): UsageRecord {
  n += 1;
  return {
    id: `r${n}`, runId: `run-${n}`, step: 1, attempt: 1, at: Date.UTC(2026, 10, 2, 10) + n * 1000, principalId, team: 'payments', skills: ['email'], tools: [],
    trigger: 'user', provider: 'openai', model: 'gpt-4o-mini', encoding: 'o200k_base', encodingFidelity: 'exact', formulaVersion: 'claw-tokens/1',
    estimate: emptyCategoryCounts(), estimatedInputTokens: 100, estimatedOutputTokens: 10, source: 'estimated', inputTokens: 100, outputTokens: 10,
    totalTokens: 110, costUsd: 0.001, priceId: 'x', status: 'ok', promptHash: `p${n}`,
    outcome: { stopReason: 'final', actions: { email_move: 1 }, answered: true },
    ...fields,
  };
}

const window = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) };

async function setup() {
  const ledger = new InMemoryUsageLedger();
  const audit = new InMemoryAuditLog();
  await ledger.append([
    record('priya'), record('priya', { trigger: 'dream', outcome: { stopReason: 'final', actions: {}, answered: false } }),
    ...[1, 2, 3].map(() => record('priya', { promptHash: 'same', outcome: { stopReason: 'final', actions: {}, answered: true } })),
    record('sam'), record('ana'), record('li'), record('kim'), record('kim', { skills: ['deploy'] }), record('zoe', { team: 'design' }),
  ]);
  return { ledger, audit, reports: new UsageReports({ ledger, directory, audit }) };
}

describe('UsageReports', () => {
  it('shows a person their own usage and their management chain, with outcomes and inflation flags', async () => {
    const { reports } = await setup();
    for (const viewer of ['priya', 'raj', 'ceo']) {
      const report = await reports.report({ viewer, subject: 'priya', ...window, groupBy: ['trigger'] });
      expect(report.totals).toMatchObject({ records: 5, totalTokens: 550, runs: 5 });
      expect(report.groups.map((g) => [g.key.trigger, g.totalTokens]).sort()).toEqual([['dream', 110], ['user', 440]]);
      // 550 tokens over 4 answered runs: the unanswered dream run's tokens count against the answers.
      expect(report.outcomes).toMatchObject({ runs: 5, answeredRuns: 4, actions: 1, tokensPerAnsweredRun: 138 });
      expect(report.flags.repeatedPrompts).toEqual([{ promptHash: 'same', runs: 3, tokens: 330 }]);
      expect(report.flags.idleRuns).toEqual({ runs: 1, tokens: 110 });
      expect(report.flags.backgroundShare).toBeCloseTo(0.2);
    }
  });

  it('refuses peers, reports and other branches, and records the attempt', async () => {
    const { reports, audit } = await setup();
    for (const viewer of ['sam', 'zoe', 'kim']) {
      await expect(reports.report({ viewer, subject: 'priya', ...window })).rejects.toBeInstanceOf(AccessDeniedError);
    }
    await expect(reports.report({ viewer: 'priya', subject: 'raj', ...window })).rejects.toThrow(/management chain/);
    const denied = await audit.list({ type: 'access.denied' });
    expect(denied.map((e) => e.principalId)).toEqual(['sam', 'zoe', 'kim', 'priya']);
  });

  it('lets a manager see a team aggregate while hiding groups of fewer than five people', async () => {
    const { reports } = await setup();
    const report = await reports.report({ viewer: 'raj', team: 'payments', ...window, groupBy: ['skill'] });
    expect(report.totals.records).toBe(10);
    // Kim alone used deploy; showing email would make "totals minus email" Kim's deploy usage, so both are hidden.
    expect(report.groups).toEqual([]);
    expect(report.suppressedGroups).toBe(2);
    expect(report.privacy).toEqual({ minGroupSize: 5, periodMs: 86_400_000, suppressedPeriods: 0 });
    await expect(reports.report({ viewer: 'priya', team: 'payments', ...window })).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('sums the estimated tokens of every category over the records', async () => {
    const ledger = new InMemoryUsageLedger();
    const estimate = { ...emptyCategoryCounts(), system: 40, tool_schemas: 50, output_text: 10 };
    await ledger.append([record('priya', { estimate }), record('priya', { estimate: { ...estimate, memory: 7 } })]);
    const report = await new UsageReports({ ledger, directory }).report({ viewer: 'priya', subject: 'priya', ...window });
    expect(report.categories).toEqual({ ...emptyCategoryCounts(), system: 80, tool_schemas: 100, output_text: 20, memory: 7 });
  });

  it('hands one record to its person and their management chain, refuses anyone else and audits the attempt', async () => {
    const { reports, audit, ledger } = await setup();
    const [first] = await ledger.query({ principalIds: ['priya'] });
    const id = first!.id;
    expect(await reports.record('raj', id)).toEqual(first);
    expect(await reports.record('priya', id)).toEqual(first);
    expect(await reports.record('raj', 'no-such-record')).toBeUndefined();
    await expect(reports.record('sam', id)).rejects.toBeInstanceOf(AccessDeniedError);
    expect((await audit.list({ type: 'access.denied' })).map((e) => [e.principalId, e.data.recordId])).toEqual([['sam', id]]);
  });

  it('rejects a request naming both or neither of subject and team', async () => {
    const { reports } = await setup();
    await expect(reports.report({ viewer: 'raj', ...window })).rejects.toThrow(/exactly one/);
    await expect(reports.report({ viewer: 'raj', subject: 'priya', team: 'payments', ...window })).rejects.toThrow(/exactly one/);
  });

  describe('differencing attacks on team reports', () => {
    const DAY = 86_400_000;
    const day1 = Date.UTC(2026, 10, 2);
    const six = ['priya', 'sam', 'ana', 'li', 'kim', 'zed'];
    const dir = new InMemoryOrgDirectory({ raj: {}, ...Object.fromEntries(six.map((p) => [p, { managerId: 'raj', team: 'payments' }])) });

    it('totals minus the visible groups never isolate a suppressed small group', async () => {
      const ledger = new InMemoryUsageLedger();
      await ledger.append([...six.map((p, i) => record(p, { at: day1 + i * 1000 })), record('kim', { at: day1 + 9000, skills: ['deploy'], totalTokens: 777 })]);
      const report = await new UsageReports({ ledger, directory: dir }).report({ viewer: 'raj', team: 'payments', from: day1, to: day1 + DAY, groupBy: ['skill'] });
      expect(report.groups.find((g) => g.key.skill === 'deploy')).toBeUndefined();
      const visible = report.groups.reduce((n, g) => n + g.totalTokens, 0);
      expect(report.totals.totalTokens - visible).not.toBe(777);
      expect(report.suppressedGroups).toBe(2);
    });

    it('two windows that differ by a period one person used reveal nothing about that person', async () => {
      const ledger = new InMemoryUsageLedger();
      await ledger.append([...six.map((p, i) => record(p, { at: day1 + i * 1000 })), record('kim', { at: day1 + DAY + 5000, totalTokens: 4242 })]);
      const reports = new UsageReports({ ledger, directory: dir });
      const first = await reports.report({ viewer: 'raj', team: 'payments', from: day1, to: day1 + DAY, groupBy: ['skill'] });
      const both = await reports.report({ viewer: 'raj', team: 'payments', from: day1, to: day1 + 2 * DAY, groupBy: ['skill'] });
      expect(first.groups.map((g) => [g.key.skill, g.totalTokens])).toEqual([['email', 660]]);
      expect(both.groups).toEqual(first.groups);
      expect(both.totals.totalTokens - first.totals.totalTokens).toBe(0);
      expect(both.privacy?.suppressedPeriods).toBe(1);
      // A window ending inside the second day is widened to the whole day: it cannot cut a period in two.
      const partial = await reports.report({ viewer: 'raj', team: 'payments', from: day1 + 3600_000, to: day1 + DAY + 1, groupBy: ['skill'] });
      expect(partial).toMatchObject({ from: day1, to: day1 + 2 * DAY });
      expect(partial.totals.totalTokens).toBe(first.totals.totalTokens);
    });
  });
});
