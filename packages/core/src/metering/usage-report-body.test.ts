import { describe, expect, it } from 'vitest';
import { emptyCategoryCounts } from './conversation-counter';
import { InMemoryUsageLedger } from './in-memory-usage-ledger';
import { InMemoryOrgDirectory } from './org-directory';
import type { UsageLedger } from './usage-ledger';
import type { UsageRecord } from './usage-record';
import type { UsageDimension } from './usage-ledger';
import { UsageReports } from './usage-reports';

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);
const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const directory = new InMemoryOrgDirectory({ boss: {}, ...Object.fromEntries(PEOPLE.map((id) => [id, { managerId: 'boss', team: 'crew' }])) });

/** A ledger that only queries and aggregates: reports fold its records themselves. */
function recordsOnly(ledger: UsageLedger): UsageLedger {
  return { append: (r) => ledger.append(r), get: (id) => ledger.get(id), query: (q) => ledger.query(q), aggregate: (q) => ledger.aggregate(q), setOutcome: (id, o) => ledger.setOutcome(id, o) };
}

/** Deterministic pseudo-random usage (costs in quarters, so sums are exact in any order): 7 people over 20 days, some days used by few people, repeats, idle runs. */
function usage(quietDays: readonly number[]): UsageRecord[] {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const records: UsageRecord[] = [];
  for (let day = 0; day < 20; day++) {
    const people = quietDays.includes(day) ? PEOPLE.slice(0, 2) : PEOPLE.filter((_, i) => i < 5 || random() < 0.5);
    for (const person of people) {
      for (let run = 0; run < 1 + Math.floor(random() * 3); run++) {
        const runId = `${person}-${day}-${run}`;
        const answered = random() < 0.7;
        const trigger = random() < 0.2 ? 'schedule' : 'user';
        const at = START + day * DAY + Math.floor(random() * 20) * 3_600_000;
        for (let step = 1; step <= 1 + Math.floor(random() * 3); step++) {
          records.push({
            id: `${runId}-${step}`, runId, step, attempt: 1, at: at + step * 60_000, principalId: person, team: 'crew',
            skills: random() < 0.5 ? ['email'] : ['slack'], tools: [], trigger, provider: 'openai', model: 'gpt-4o-mini', encoding: 'o200k_base',
            encodingFidelity: 'exact', formulaVersion: random() < 0.1 ? 'claw-tokens/1' : 'claw-tokens/2', estimate: emptyCategoryCounts(),
            estimatedInputTokens: 100, estimatedOutputTokens: 10, source: random() < 0.5 ? 'reported' : 'estimated', inputTokens: 100 + step,
            outputTokens: 10 * step, totalTokens: 100 + step + 10 * step, costUsd: 0.25 * step, priceId: 'x', status: random() < 0.1 ? 'error' : 'ok',
            promptHash: `prompt-${Math.floor(random() * 3)}`, outcome: { stopReason: answered ? 'final' : 'max_steps', actions: random() < 0.3 ? { email_send: 1 } : {}, answered },
          });
        }
      }
    }
  }
  return records;
}

async function bothWays(records: UsageRecord[]) {
  const ledger = new InMemoryUsageLedger();
  await ledger.append(records);
  const reads = { records: 0 };
  const counted: UsageLedger = { ...recordsOnly(ledger), query: (q) => ((reads.records += 1), ledger.query(q)), summariseRuns: (q) => ledger.summariseRuns(q) };
  return { summarised: new UsageReports({ ledger: counted, directory }), folded: new UsageReports({ ledger: recordsOnly(ledger), directory }), reads };
}

const window = { from: START + 2 * DAY + 5 * 3_600_000, to: START + 18 * DAY + 3_600_000 };
const groupings: UsageDimension[][] = [[], ['day'], ['trigger'], ['skill', 'source'], ['stopReason', 'status']];

describe('usage reports from run summaries', () => {
  it.each(groupings.map((g) => [g.join(',') || 'nothing', g] as const))('give the same person reports as the records (grouped by %s)', async (_name, groupBy) => {
    const { summarised, folded, reads } = await bothWays(usage([]));
    for (const subject of PEOPLE.slice(0, 3)) {
      const request = { viewer: 'boss', subject, ...window, groupBy };
      expect(await summarised.report(request)).toEqual(await folded.report(request));
    }
    expect(reads.records).toBe(0);
  });

  it.each([
    ['every period published', []],
    ['quiet periods at the edges', [2, 3, 18]],
    ['a quiet period in the middle', [9]],
  ] as const)('give the same team reports, suppression included, as the records: %s', async (_name, quiet) => {
    const { summarised, folded, reads } = await bothWays(usage(quiet));
    for (const groupBy of groupings) {
      const request = { viewer: 'boss', team: 'crew', ...window, groupBy };
      const [fast, slow] = [await summarised.report(request), await folded.report(request)];
      expect(fast).toEqual(slow);
      if (quiet.length > 0) expect(fast.privacy!.suppressedPeriods).toBeGreaterThan(0);
    }
    // Only a period left out between published ones makes the reports read the records.
    expect(reads.records > 0).toBe(quiet.includes(9 as never));
  });

  it('hide the same small groups from the team report', async () => {
    const { summarised, folded } = await bothWays(usage([4]));
    const request = { viewer: 'boss', team: 'crew', ...window, groupBy: ['skill', 'source', 'status'] as UsageDimension[] };
    const fast = await summarised.report(request);
    expect(fast.suppressedGroups).toBeGreaterThan(0);
    expect(fast.groups).toEqual((await folded.report(request)).groups);
  });
});
