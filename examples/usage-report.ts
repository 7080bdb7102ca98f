/**
 * Private usage reports: several people run agents; a manager sees their report's usage with outcomes and inflation
 * flags; a peer asking for the same is refused (and the attempt is audited).
 * Run: npx tsx --conditions=claw-source examples/usage-report.ts
 */
import { AccessDeniedError, Agent, InMemoryAuditLog, InMemoryOrgDirectory, InMemoryUsageLedger, Meter, UsageReports } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { modelFromEnv } from './support/model-from-env';

const directory = new InMemoryOrgDirectory({
  raj: { team: 'leads' },
  priya: { managerId: 'raj', team: 'payments' },
  sam: { managerId: 'raj', team: 'payments' },
});
const ledger = new InMemoryUsageLedger();
const audit = new InMemoryAuditLog();
const meter = new Meter({ ledger, budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 200_000 }] });

async function runAs(id: string, input: string, trigger: 'user' | 'schedule' = 'user') {
  const model = modelFromEnv(() => new ScriptedModel([{ text: `Done: ${input}`, usage: { inputTokens: 180 + input.length, outputTokens: 12 } }]));
  await new Agent({ model, principal: { id, managerId: 'raj', team: 'payments' }, meter }).run(input, { trigger });
}

await runAs('priya', 'Summarise the payments incident');
// The same request three times, dressed up differently each time: normalised, it is one prompt (a repeat is flagged).
for (const input of ['Check the nightly reconciliation', 'Check the nightly reconciliation #2', 'check the  nightly reconciliation!']) {
  await runAs('priya', input);
}
// Scheduled runs repeat by design: they count in the background share, not as repeats.
await runAs('priya', 'Check the nightly reconciliation', 'schedule');
await runAs('sam', 'Draft the release notes');

const reports = new UsageReports({ ledger, directory, audit });
const now = Date.now();
const report = await reports.report({ viewer: 'raj', subject: 'priya', from: now - 86_400_000, to: now + 1, groupBy: ['trigger'] });
console.log(`Raj's view of Priya (formula ${report.formulaVersions.join(', ')}):`);
console.log(`  ${report.totals.totalTokens} tokens in ${report.totals.runs} runs, $${report.totals.costUsd.toFixed(6)}, ${Math.round(report.totals.reportedShare * 100)}% provider-reported`);
for (const group of report.groups) console.log(`  ${group.key.trigger}: ${group.totalTokens} tokens over ${group.runs} runs`);
console.log(`  per answered run: ${report.outcomes.tokensPerAnsweredRun} tokens; background share ${Math.round(report.flags.backgroundShare * 100)}%`);
for (const flag of report.flags.repeatedPrompts) console.log(`  flag: the same prompt opened ${flag.runs} runs (${flag.tokens} tokens)`);
console.log(`  inflated share (repeated or idle runs): ${Math.round(report.flags.inflatedShare * 100)}%`);

try {
  await reports.report({ viewer: 'sam', subject: 'priya', from: now - 86_400_000, to: now + 1 });
} catch (error) {
  if (!(error instanceof AccessDeniedError)) throw error;
  console.log(`\nSam asks for Priya's usage: ${error.code}: ${error.message}`);
}
console.log(`Audited refusals: ${(await audit.list({ type: 'access.denied' })).length}`);
const [record] = await ledger.query({ principalIds: ['sam'] });
console.log(`\nHow Sam's record was counted:\n${meter.explain(record!)}`);
