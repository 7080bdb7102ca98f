import { html } from 'hono/html';
import type { UsageReport } from '@claw/core';
import { daysOf, parseDayRange, type DayRange } from '../http/date-range';
import { parsePersonId } from '../http/person-id';
import { breakdownTable, dailyChart } from '../views/chart';
import { formatCount, formatInstant, formatPer, formatShare, formatUsd } from '../views/format';
import type { Markup } from '../views/layout';
import { readReport, type PageContext } from './page-context';
import { dailySeries, sumBy, sumCategories } from './usage-sums';

/** The page title and body of "my usage" (or a report's usage, for someone in their management chain). */
export async function usagePage(ctx: PageContext, query: { from?: string; to?: string; person?: string }): Promise<{ title: string; body: Markup }> {
  const range = parseDayRange(query, ctx.now);
  const subject = query.person !== undefined ? parsePersonId(query.person) : ctx.viewer;
  const report = await readReport(ctx, { subject, from: range.from, to: range.to, groupBy: ['day', 'source', 'skill', 'trigger'] });
  // The reports allowed access above; the records add the per-category split and links to single records.
  const records = await ctx.options.ledger.query({ principalIds: [subject], from: range.from, to: range.to });
  const days = daysOf(range);
  const [reported, estimated] = dailySeries(report.groups, days, 'source', ['reported', 'estimated']);
  const [costReported, costEstimated] = dailySeries(report.groups, days, 'source', ['reported', 'estimated'], (g) => g.costUsd);
  const name = await ctx.nameOf(subject);
  const title = subject === ctx.viewer ? 'My usage' : `Usage of ${name}`;
  const recent = records.slice(-20).reverse();
  const body = html`${rangeForm(ctx, range, subject)}
${summary(report)}
<div class="charts">
${dailyChart({ id: 'tokens-per-day', title: 'Tokens per day, reported by the provider vs estimated by the formula', unit: 'tokens', days, series: [{ label: 'Reported', values: reported! }, { label: 'Estimated', values: estimated! }] })}
${dailyChart({ id: 'cost-per-day', title: 'Cost per day (USD)', unit: 'USD', days, format: formatUsd, series: [{ label: 'Cost', values: costReported!.map((v, i) => v + costEstimated![i]!) }] })}
</div>
<div class="breakdowns">
${breakdownTable({ id: 'by-category', title: "Estimated tokens by the formula's categories", label: 'Category', rows: sumCategories(records) })}
${breakdownTable({ id: 'by-skill', title: 'By skill', label: 'Skill', rows: sumBy(report.groups, 'skill'), formatCost: formatUsd })}
${breakdownTable({ id: 'by-trigger', title: 'By trigger', label: 'Trigger', rows: sumBy(report.groups, 'trigger'), formatCost: formatUsd })}
${breakdownTable({ id: 'by-source', title: 'Reported vs estimated', label: 'Source', rows: sumBy(report.groups, 'source'), formatCost: formatUsd })}
</div>
${outcomes(report)}
${flags(ctx, report)}
<section id="records">
<h2>Latest model calls</h2>
${recent.length === 0
  ? html`<p class="empty">No model calls in this range.</p>`
  : html`<table><thead><tr><th scope="col">When</th><th scope="col">Run / step</th><th scope="col">Trigger</th><th scope="col">Model</th><th scope="col">Tokens</th><th scope="col">Source</th><th scope="col">Derivation</th></tr></thead>
<tbody>${recent.map((r) => html`<tr><td>${formatInstant(r.at)}</td><td><code>${r.runId}</code> / ${r.step}</td><td>${r.trigger}</td><td>${r.model}</td><td class="num">${formatCount(r.totalTokens)}</td><td>${r.source}</td><td><a href="${ctx.base}/records/${encodeURIComponent(r.id)}">how it was counted</a></td></tr>`)}</tbody></table>`}
</section>`;
  return { title, body };
}

function rangeForm(ctx: PageContext, range: DayRange, subject: string): Markup {
  return html`<form class="range" method="get" action="${ctx.base}/usage">
  ${subject !== ctx.viewer ? html`<input type="hidden" name="person" value="${subject}">` : ''}
  <label>From <input type="date" name="from" value="${range.firstDay}" required></label>
  <label>To <input type="date" name="to" value="${range.lastDay}" required></label>
  <button type="submit">Show</button>
</form>`;
}

function summary(report: UsageReport): Markup {
  const t = report.totals;
  return html`<dl class="summary">
  <div><dt>Tokens</dt><dd id="total-tokens">${formatCount(t.totalTokens)}</dd></div>
  <div><dt>Cost</dt><dd>${formatUsd(t.costUsd)}</dd></div>
  <div><dt>Runs</dt><dd>${formatCount(t.runs)}</dd></div>
  <div><dt>Reported by the provider</dt><dd>${formatShare(t.reportedShare)}</dd></div>
  <div><dt>Tokens per answered run</dt><dd>${formatPer(report.outcomes.tokensPerAnsweredRun)}</dd></div>
  <div><dt>Tokens per side effect</dt><dd>${formatPer(report.outcomes.tokensPerAction)}</dd></div>
  <div><dt>Formula</dt><dd>${report.formulaVersions.join(', ') || '–'}</dd></div>
</dl>`;
}

function outcomes(report: UsageReport): Markup {
  const o = report.outcomes;
  const reasons = Object.entries(o.tokensByStopReason).sort((a, b) => b[1] - a[1]);
  return html`<section id="outcomes">
<h2>Tokens per outcome</h2>
<p>${formatCount(o.runs)} runs: ${formatCount(o.answeredRuns)} ended with an answer, and ${formatCount(o.actions)} side effects were performed.</p>
${breakdownTable({ id: 'by-stop-reason', title: 'Tokens by how runs ended', label: 'Ended with', rows: reasons.map(([name, tokens]) => ({ name, tokens })) })}
</section>`;
}

function flags(ctx: PageContext, report: UsageReport): Markup {
  const f = report.flags;
  const link = (anchor: string) => html` <a href="${ctx.options.formulaUrl}#${anchor}">How this is counted</a>`;
  const items: Markup[] = [];
  for (const repeat of f.repeatedPrompts) {
    items.push(html`<li>The same opening prompt started ${formatCount(repeat.runs)} runs within the repeat window (${formatCount(repeat.tokens)} tokens): a loop or a retry script may be re-sending it.${link('6-who-can-see-usage')}</li>`);
  }
  if (f.idleRuns.runs > 0) items.push(html`<li>${formatCount(f.idleRuns.runs)} runs ended with neither an answer nor a side effect (${formatCount(f.idleRuns.tokens)} tokens).${link('6-who-can-see-usage')}</li>`);
  if (f.backgroundShare > 0) items.push(html`<li>${formatShare(f.backgroundShare)} of the tokens came from background triggers (schedules, heartbeats, dreams), not from a person asking.${link('6-who-can-see-usage')}</li>`);
  if (f.failedShare > 0) items.push(html`<li>${formatShare(f.failedShare)} of the tokens were spent on calls that failed or were aborted; they are counted because the provider still received the input.${link('1-what-is-counted')}</li>`);
  return html`<section id="flags">
<h2>Inflation flags</h2>
${items.length === 0 ? html`<p class="empty">Nothing inflates these numbers.</p>` : html`<ul>${items}</ul>`}
</section>`;
}
