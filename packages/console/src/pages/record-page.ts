import { html } from 'hono/html';
import { USAGE_CATEGORIES, type UsageRecord } from '@claw/core';
import { HttpProblem } from '../http/http-problem';
import { formatCount, formatInstant, formatUsd } from '../views/format';
import type { Markup } from '../views/layout';
import { readReport, type PageContext } from './page-context';

/** Record ids are `runId:step:attempt`; the run id is what the ledger is indexed by. */
function runIdOf(recordId: string): string | undefined {
  const match = /^(.+):(\d+):(\d+)$/s.exec(recordId);
  return match && recordId.length <= 300 ? match[1] : undefined;
}

/**
 * One usage record and the derivation of its numbers as the meter explains it. Access is asked of the usage
 * reports for the record's person at the record's instant, so the record page refuses exactly whom the reports
 * refuse, and audits it the same way.
 */
export async function recordPage(ctx: PageContext, recordId: string): Promise<{ title: string; body: Markup }> {
  const runId = runIdOf(recordId);
  if (runId === undefined) throw new HttpProblem(400, 'Malformed record id', 'A usage record id looks like "<run id>:<step>:<attempt>"; follow a link from a usage page.');
  const record = (await ctx.options.ledger.query({ runId })).find((r) => r.id === recordId);
  if (!record) throw new HttpProblem(404, 'No such usage record', `No usage record "${recordId}" is in the ledger. It may belong to another ledger, or the link is wrong.`);
  await readReport(ctx, { subject: record.principalId, from: record.at, to: record.at + 1 });
  const explanation = ctx.options.explain(record);
  return {
    title: `Usage record ${record.runId} step ${record.step}`,
    body: html`<section id="derivation">
<h2>How these numbers were derived</h2>
<ol class="derivation">${explanation.split('\n').map((line) => html`<li>${line}</li>`)}</ol>
</section>
${facts(record)}
${categories(record)}`,
  };
}

function facts(r: UsageRecord): Markup {
  return html`<dl class="facts">
<div><dt>Person</dt><dd>${r.principalId}</dd></div>
<div><dt>When</dt><dd>${formatInstant(r.at)}</dd></div>
<div><dt>Run</dt><dd><code>${r.runId}</code>, step ${r.step}, attempt ${r.attempt}</dd></div>
<div><dt>Trigger</dt><dd>${r.trigger}</dd></div>
<div><dt>Skills / tools</dt><dd>${r.skills.join(', ') || '–'} / ${r.tools.join(', ') || '–'}</dd></div>
<div><dt>Model</dt><dd>${r.provider}/${r.model} (${r.encoding}, ${r.encodingFidelity})</dd></div>
<div><dt>Counted</dt><dd>${formatCount(r.inputTokens)} in + ${formatCount(r.outputTokens)} out = ${formatCount(r.totalTokens)} tokens (${r.source})</dd></div>
<div><dt>Cost</dt><dd>${formatUsd(r.costUsd)} (${r.priceId})</dd></div>
<div><dt>Outcome of the run</dt><dd>${r.outcome ? `${r.outcome.stopReason}${r.outcome.answered ? ', answered' : ''}` : 'still running'}</dd></div>
</dl>`;
}

function categories(r: UsageRecord): Markup {
  return html`<table id="record-categories"><caption>Estimate by category (formula ${r.formulaVersion})</caption>
<thead><tr><th scope="col">Category</th><th scope="col">Tokens</th></tr></thead>
<tbody>${USAGE_CATEGORIES.map((c) => html`<tr><th scope="row">${c}</th><td class="num">${formatCount(r.estimate[c] ?? 0)}</td></tr>`)}
<tr><th scope="row">estimated input</th><td class="num">${formatCount(r.estimatedInputTokens)}</td></tr>
<tr><th scope="row">estimated output</th><td class="num">${formatCount(r.estimatedOutputTokens)}</td></tr></tbody></table>`;
}
