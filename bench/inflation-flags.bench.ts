/**
 * Whether the inflation flags of usage reports tell people who inflate their usage from people who work: a
 * seeded population (`inflation-flags/population.ts`) of 40 normal users and 10 scripted gamers (two per evasion:
 * a `#i` suffix, trailing and zero-width spaces, the same prompt 31 minutes apart, noise words, and varied prompts
 * answered "."), a working week each, every run metered by the real `Meter` (so prompt hashes and sketches are
 * what production computes) with recalled memory changing from run to run.
 *
 * A person is flagged when their report's `inflatedShare` (tokens in repeated or idle runs) is at least 25%.
 * Precision and recall of that are printed beside the same classification under the old rules (exact raw prompt
 * hash, one-hour window, any non-empty answer counts; `inflation-flags/main-flags.ts`), measured on the same runs.
 * Tokens per answered run of the gamers who answer "." over normal users' (medians) shows whether the outcome
 * figure still favours them: it should be well above 1 (their "answers" are not answers, so each real one costs more).
 */
import { InMemoryUsageLedger, Meter, inflationFlags, isSubstantiveAnswer, summariseOutcomes, type UsageRecord } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import type { BenchRow } from './bench-row';
import { median } from './support/measure';
import { oldAnswered, oldInflatedShare, oldTokensPerAnsweredRun, rawOpeningHash } from './inflation-flags/main-flags';
import { population, type ScriptedUser } from './inflation-flags/population';

const FLAG_SHARE = 0.25;
const DOTS = 'varied prompts answered "."';

async function meterWeek(user: ScriptedUser): Promise<{ records: UsageRecord[]; old: UsageRecord[] }> {
  const ledger = new InMemoryUsageLedger();
  let now = 0;
  const meter = new Meter({ ledger, clock: () => now, telemetry: false });
  const old: UsageRecord[] = [];
  for (const [i, run] of user.runs.entries()) {
    now = run.at;
    const runId = `${user.id}-${i}`;
    const messages = [
      { role: 'system' as const, part: 'system' as const, content: 'You are the assistant of the payments team. Use the tools; be brief.' },
      ...(run.memory ? [{ role: 'system' as const, part: 'memory' as const, content: run.memory }] : []),
      { role: 'user' as const, content: run.prompt },
    ];
    const model = new ScriptedModel([{ text: run.answer }]);
    const { record } = await meter.generate(model, { messages, tools: [] }, { runId, step: 1, attempt: 1, principal: { id: user.id }, trigger: 'user', skills: [] });
    await ledger.setOutcome(runId, { stopReason: 'final', actions: run.actions, answered: isSubstantiveAnswer(run.answer) });
    old.push({ ...record, promptHash: rawOpeningHash(messages), outcome: { stopReason: 'final', actions: run.actions, answered: oldAnswered(run.answer) } });
  }
  return { records: await ledger.query({}), old };
}

function score(users: readonly { gamer: boolean; flagged: boolean }[]): { precision: number; recall: number } {
  const flagged = users.filter((u) => u.flagged);
  const caught = flagged.filter((u) => u.gamer).length;
  return { precision: flagged.length === 0 ? 0 : caught / flagged.length, recall: caught / users.filter((u) => u.gamer).length };
}

export default async function bench(): Promise<BenchRow[]> {
  const users = population();
  type Scored = { gamer: boolean; dots: boolean; flagged: boolean; perAnswer: number };
  const now: Scored[] = [];
  const before: Scored[] = [];
  const missed: string[] = [];
  for (const user of users) {
    const { records, old } = await meterWeek(user);
    const flagged = inflationFlags(records).inflatedShare >= FLAG_SHARE;
    if (flagged !== user.gamer) missed.push(`${user.id} (${user.strategy}) ${flagged ? 'flagged' : 'not flagged'}`);
    const dots = user.strategy === DOTS;
    now.push({ gamer: user.gamer, dots, flagged, perAnswer: summariseOutcomes(records).tokensPerAnsweredRun ?? Number.MAX_VALUE });
    before.push({ gamer: user.gamer, dots, flagged: oldInflatedShare(old) >= FLAG_SHARE, perAnswer: oldTokensPerAnsweredRun(old) ?? Number.MAX_VALUE });
  }
  if (missed.length > 0) process.stderr.write(`inflation-flags: misclassified: ${missed.join('; ')}\n`);
  const a = score(now);
  const b = score(before);
  const ratio = (rows: Scored[]) => median(rows.filter((r) => r.dots).map((r) => r.perAnswer)) / median(rows.filter((r) => !r.gamer).map((r) => r.perAnswer));
  const baseline = 'old rules (exact raw hash, 1 h window, any non-empty answer), same runs';
  return [
    { figure: `inflation flags: precision over ${users.length} people (flagged gamers / flagged)`, value: a.precision, unit: '', comparedWith: baseline, comparedValue: b.precision, target: '>= 0.9', meetsTarget: a.precision >= 0.9 },
    { figure: 'inflation flags: recall (flagged gamers / 10 gamers, 5 evasions)', value: a.recall, unit: '', comparedWith: baseline, comparedValue: b.recall, target: '>= 0.9', meetsTarget: a.recall >= 0.9 },
    { figure: 'tokens per answered run: gamers answering "." / normal users (medians)', value: ratio(now), unit: 'x', comparedWith: baseline, comparedValue: ratio(before), target: '> 1 (no advantage for gamers)', meetsTarget: ratio(now) > 1 },
  ];
}
