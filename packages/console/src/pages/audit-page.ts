import { html } from 'hono/html';
import { canViewUsageOf, type AuditEntry } from '@claw/core';
import { peopleBelow } from '../org/org-chart';
import { formatInstant } from '../views/format';
import type { Markup } from '../views/layout';
import type { PageContext } from './page-context';

const MAX_ENTRIES = 200;

/**
 * Recent audit entries about the viewer and the people down their management chain (the same chain that may see
 * their usage), newest first, and whether the log's hash chains verify.
 */
export async function auditPage(ctx: PageContext): Promise<{ title: string; body: Markup }> {
  const { audit, directory } = ctx.options;
  const from = ctx.now - ctx.options.auditWindowMs;
  const people = [ctx.viewer, ...(await peopleBelow(directory, ctx.viewer))];
  const entries: AuditEntry[] = [];
  for (const person of people) {
    if (!(await canViewUsageOf(directory, ctx.viewer, person))) continue;
    entries.push(...(await audit.list({ principalId: person, from })));
  }
  entries.sort((a, b) => b.at - a.at || b.seq - a.seq);
  const shown = entries.slice(0, MAX_ENTRIES);
  const verification = await audit.verify();
  const status = verification.valid
    ? html`<p class="verified" id="chain-status" data-valid="true">The audit log verifies: ${verification.entries} entries, every hash link intact.</p>`
    : html`<p class="broken" id="chain-status" data-valid="false" role="alert">The audit log does not verify: chain ${verification.brokenAt.chain} breaks at entry ${verification.brokenAt.seq} (${verification.reason}). Entries from there on cannot be trusted; tell your security team.</p>`;
  return {
    title: 'Audit',
    body: html`${status}
<p class="note">Entries about you and the people in your management chain from the last ${Math.round(ctx.options.auditWindowMs / 86_400_000)} days, newest first${entries.length > MAX_ENTRIES ? html` (the latest ${MAX_ENTRIES} of ${entries.length})` : ''}.</p>
<table id="audit-table"><thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Person</th><th scope="col">Run</th><th scope="col">Details</th></tr></thead>
<tbody>${shown.map((e) => html`<tr data-type="${e.type}"><td>${formatInstant(e.at)}</td><td>${e.type}</td><td>${e.principalId}</td><td>${e.runId ? html`<code>${e.runId}</code>` : '–'}</td><td><code class="data">${JSON.stringify(e.data)}</code></td></tr>`)}</tbody></table>`,
  };
}
