import { html } from 'hono/html';
import type { UsageReport } from '@claw/core';
import { daysOf, parseDayRange } from '../http/date-range';
import { HttpProblem } from '../http/http-problem';
import { peopleBelow } from '../org/org-chart';
import { breakdownTable, dailyChart } from '../views/chart';
import { formatCount, formatPer, formatShare, formatUsd } from '../views/format';
import type { Markup } from '../views/layout';
import { readReport, type PageContext } from './page-context';
import { sumBy } from './usage-sums';

/** How the team table may be ordered: by tokens per outcome or by name, never by raw usage. */
export const TEAM_SORTS = {
  'per-answer': 'tokens per answered run',
  'per-action': 'tokens per side effect',
  name: 'name',
} as const;

/** A way to order the team table. */
export type TeamSort = keyof typeof TEAM_SORTS;

interface PersonRow {
  id: string;
  name: string;
  manager: string;
  report: UsageReport;
}

/**
 * The team page: one row per person down the viewer's management chain (each row read through `UsageReports`,
 * which refuses anyone outside it), ordered by tokens per outcome; then aggregates of whole teams in the chain,
 * with small groups suppressed by the reports exactly as the API suppresses them.
 */
export async function teamPage(ctx: PageContext, query: { from?: string; to?: string; sort?: string }): Promise<{ title: string; body: Markup }> {
  const range = parseDayRange(query, ctx.now);
  const sort = (query.sort ?? 'per-answer') as TeamSort;
  if (!Object.hasOwn(TEAM_SORTS, sort)) throw new HttpProblem(400, 'Unknown order', `"sort" must be one of ${Object.keys(TEAM_SORTS).join(', ')}.`);
  const { directory } = ctx.options;
  const people = await peopleBelow(directory, ctx.viewer);
  if (people.length === 0) {
    return { title: 'My team', body: html`<p class="empty">Nobody reports to you, so there is no team usage to show. <a href="${ctx.base}/usage">Your own usage</a> is here.</p>` };
  }
  const rows: PersonRow[] = [];
  for (const id of people) {
    const report = await readReport(ctx, { subject: id, from: range.from, to: range.to, groupBy: ['day'] });
    rows.push({ id, name: await ctx.nameOf(id), manager: await ctx.nameOf((await directory.managerOf(id)) ?? ''), report });
  }
  sortRows(rows, sort);
  const days = daysOf(range);
  const index = new Map(days.map((day, i) => [day, i]));
  const daily = days.map(() => 0);
  for (const row of rows) {
    for (const group of row.report.groups) {
      const i = index.get(group.key.day ?? '');
      if (i !== undefined) daily[i]! += group.totalTokens;
    }
  }
  const teams = await teamAggregates(ctx, people, range.from, range.to);
  const body = html`<form class="range" method="get" action="${ctx.base}/team">
  <label>From <input type="date" name="from" value="${range.firstDay}" required></label>
  <label>To <input type="date" name="to" value="${range.lastDay}" required></label>
  <label>Order by <select name="sort">${Object.entries(TEAM_SORTS).map(([value, label]) => html`<option value="${value}"${value === sort ? html` selected` : ''}>${label}</option>`)}</select></label>
  <button type="submit">Show</button>
</form>
<p class="note">One row per person in your management chain, ordered by ${TEAM_SORTS[sort]}. Raw token counts are listed for context, not ranked: what matters is what the tokens produced.</p>
<table id="team-table">
<thead><tr><th scope="col">Person</th><th scope="col">Manager</th><th scope="col">Tokens per answered run</th><th scope="col">Tokens per side effect</th><th scope="col">Runs</th><th scope="col">Answered</th><th scope="col">Side effects</th><th scope="col">Tokens</th><th scope="col">Cost</th><th scope="col">Reported</th><th scope="col">Flags</th></tr></thead>
<tbody>${rows.map((row) => personRow(ctx, row, range.firstDay, range.lastDay))}</tbody>
</table>
${dailyChart({ id: 'team-tokens-per-day', title: 'Tokens per day, everyone in your chain together', unit: 'tokens', days, series: [{ label: 'Tokens', values: daily }] })}
<section id="team-aggregates">
<h2>Teams</h2>
<p class="note">Groups with fewer than the minimum number of people are suppressed, as in every usage report, so no one is singled out.</p>
${teams.length === 0 ? html`<p class="empty">No team lies wholly within your management chain.</p>` : teams}
</section>`;
  return { title: 'My team', body };
}

function sortRows(rows: PersonRow[], sort: TeamSort): void {
  const measure = (row: PersonRow) => (sort === 'per-action' ? row.report.outcomes.tokensPerAction : row.report.outcomes.tokensPerAnsweredRun);
  rows.sort((a, b) => {
    if (sort !== 'name') {
      const x = measure(a);
      const y = measure(b);
      // Most tokens per outcome first (where to look); people with nothing to divide by come last.
      if (x !== y) return x === null ? 1 : y === null ? -1 : y - x;
    }
    return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  });
}

function personRow(ctx: PageContext, row: PersonRow, from: string, to: string): Markup {
  const { totals, outcomes, flags } = row.report;
  const flagCount = flags.repeatedPrompts.length + (flags.idleRuns.runs > 0 ? 1 : 0);
  const href = `${ctx.base}/usage?person=${encodeURIComponent(row.id)}&from=${from}&to=${to}`;
  return html`<tr data-person="${row.id}"><th scope="row"><a href="${href}">${row.name}</a></th><td>${row.manager}</td>
<td class="num">${formatPer(outcomes.tokensPerAnsweredRun)}</td><td class="num">${formatPer(outcomes.tokensPerAction)}</td>
<td class="num">${formatCount(outcomes.runs)}</td><td class="num">${formatCount(outcomes.answeredRuns)}</td><td class="num">${formatCount(outcomes.actions)}</td>
<td class="num">${formatCount(totals.totalTokens)}</td><td class="num">${formatUsd(totals.costUsd)}</td><td class="num">${formatShare(totals.reportedShare)}</td>
<td>${flagCount === 0 ? '–' : html`<a href="${href}#flags">${flagCount}</a>`}</td></tr>`;
}

/** Team reports for the teams whose every member is in the viewer's chain (others would only be refused). */
async function teamAggregates(ctx: PageContext, people: readonly string[], from: number, to: number): Promise<Markup[]> {
  const { directory } = ctx.options;
  if (!directory.teamOf) return [];
  const inChain = new Set([ctx.viewer, ...people]);
  const teams = new Set<string>();
  for (const person of people) {
    const team = await directory.teamOf(person);
    if (team !== undefined) teams.add(team);
  }
  const sections: Markup[] = [];
  for (const team of [...teams].sort()) {
    const members = await directory.membersOf(team);
    if (members.length === 0 || !members.every((m) => inChain.has(m))) continue;
    const report = await readReport(ctx, { team, from, to, groupBy: ['trigger'] });
    sections.push(html`<article class="team" data-team="${team}">
<h3>${team} <small>${formatCount(members.length)} people</small></h3>
<p>${formatCount(report.totals.totalTokens)} tokens, ${formatUsd(report.totals.costUsd)}, ${formatPer(report.outcomes.tokensPerAnsweredRun)} tokens per answered run, ${formatShare(report.flags.backgroundShare)} from background triggers.</p>
<div class="breakdowns">
${breakdownTable({ id: `team-${team}-trigger`, title: 'By trigger', label: 'Trigger', rows: sumBy(report.groups, 'trigger'), formatCost: formatUsd })}
</div>
${report.suppressedGroups > 0 ? html`<p class="note">${formatCount(report.suppressedGroups)} groups with too few people are not shown.</p>` : ''}
</article>`);
  }
  return sections;
}
