import { html } from 'hono/html';
import { judgeDecisions, normaliseApproverId, sameApprover, type ApprovalRequest } from '@claw/core';
import { decideApproval, type RecordedConsoleDecision } from '../approvals/decide';
import { mayDecide } from '../approvals/approver-scope';
import { HttpProblem } from '../http/http-problem';
import { formatInstant } from '../views/format';
import type { Markup } from '../views/layout';
import type { PageContext } from './page-context';

/** Pending requests the viewer may decide, then those the viewer asked for (which others decide). */
export async function visibleRequests(ctx: PageContext): Promise<{ toDecide: ApprovalRequest[]; mine: ApprovalRequest[] }> {
  const pending = await ctx.options.approvals.listPending();
  const toDecide: ApprovalRequest[] = [];
  const mine: ApprovalRequest[] = [];
  for (const request of pending) {
    if (sameApprover(request.principal.id, ctx.viewer)) mine.push(request);
    else if (await mayDecide(ctx.options.directory, ctx.viewer, request)) toDecide.push(request);
  }
  return { toDecide, mine };
}

/** The approvals page: everything a reviewer needs to decide, and a form bound to exactly what is shown. */
export async function approvalsPage(ctx: PageContext): Promise<{ title: string; body: Markup }> {
  const { toDecide, mine } = await visibleRequests(ctx);
  const body = html`<section id="to-decide">
<h2>Waiting for your decision</h2>
${toDecide.length === 0 ? html`<p class="empty">Nothing is waiting for you.</p>` : await Promise.all(toDecide.map((r) => requestCard(ctx, r, true)))}
</section>
<section id="mine">
<h2>Your requests, waiting for someone else</h2>
${mine.length === 0 ? html`<p class="empty">None of your calls is waiting.</p>` : await Promise.all(mine.map((r) => requestCard(ctx, r, false)))}
</section>`;
  return { title: 'Approvals', body };
}

/** Who approved a request so far and how many are still needed, as core judges the recorded decisions. */
async function approvalProgress(ctx: PageContext, r: ApprovalRequest): Promise<{ approvers: string[]; needed: number }> {
  const { decisions } = await ctx.options.approvals.getDecisions(r.id);
  if (decisions.length === 0) return { approvers: [], needed: r.approversRequired };
  const verdict = judgeDecisions(r, decisions, { now: ctx.now, strictBinding: true, allowPartial: true });
  if (verdict.outcome === 'awaiting') return { approvers: verdict.approvers, needed: verdict.needed };
  return { approvers: verdict.approvers, needed: verdict.outcome === 'approved' ? 0 : r.approversRequired };
}

async function requestCard(ctx: PageContext, r: ApprovalRequest, decidable: boolean): Promise<Markup> {
  const expired = r.expiresAt < ctx.now;
  const progress = await approvalProgress(ctx, r);
  const decidedByViewer = progress.approvers.includes(normaliseApproverId(ctx.viewer));
  const names = await Promise.all(progress.approvers.map((id) => ctx.nameOf(id)));
  return html`<article class="request${expired ? ' expired' : ''}" data-request="${r.id}">
<h3><code>${r.toolName}</code> <small>${r.effect}, ${r.environment}</small></h3>
<dl class="facts">
<div><dt>Asked by</dt><dd>${await ctx.nameOf(r.principal.id)} <small>(${r.principal.id})</small></dd></div>
<div><dt>Why approval is needed</dt><dd>${r.reason}</dd></div>
<div><dt>Asked at</dt><dd>${formatInstant(r.requestedAt)}</dd></div>
<div><dt>Expires</dt><dd>${formatInstant(r.expiresAt)}${expired ? html` <strong class="warning">expired</strong>` : ''}</dd></div>
<div><dt>Approvers needed</dt><dd>${r.approversRequired >= 2 ? html`${r.approversRequired} distinct people (two-person rule); the requester does not count` : '1'}</dd></div>
${progress.approvers.length > 0
  ? html`<div class="approved-so-far"><dt>Approved so far by</dt><dd>${names.join(', ')}${progress.needed > 0 ? html` — <strong class="waiting-for">waiting for ${progress.needed === 1 ? 'one more approver' : `${progress.needed} more approvers`}</strong>` : ' — approved; the run resumes when its service picks it up'}</dd></div>`
  : ''}
</dl>
<h4>What it would do</h4>
${r.preview ? html`<p class="preview-summary">${r.preview.summary}</p>${r.preview.details !== undefined ? html`<pre class="preview-details">${JSON.stringify(r.preview.details, null, 2)}</pre>` : ''}` : html`<p class="empty">This tool gives no preview; check the exact input.</p>`}
<h4>Exact input</h4>
<pre class="input">${JSON.stringify(r.input, null, 2)}</pre>
<p class="hash">Input hash <code>${r.inputHash}</code>: the decision is valid for this input only.</p>
${decidedByViewer ? html`<p class="your-decision">You approved this request; ${progress.needed > 0 ? 'someone else has to approve it too.' : 'nothing more is needed from you.'}</p>` : ''}
${decidable && !expired && !decidedByViewer && progress.needed > 0
  ? html`<form method="post" action="${ctx.base}/approvals/${encodeURIComponent(r.id)}" class="decide">
  <input type="hidden" name="csrf" value="${ctx.csrfToken}">
  <input type="hidden" name="inputHash" value="${r.inputHash}">
  <label>Note (optional) <input type="text" name="reason" maxlength="500"></label>
  <button type="submit" name="decision" value="approve" class="approve">Approve as ${await ctx.nameOf(ctx.viewer)}</button>
  <button type="submit" name="decision" value="deny" class="deny">Deny</button>
</form>`
  : ''}
</article>`;
}

/**
 * Records a decision POSTed from the approvals page, as the authenticated viewer, and shows what happened: the
 * refusal (nothing written) or the decision and the resumed run.
 * @throws HttpProblem 400 for a malformed form, 403 when the viewer may not decide it, 404 for an unknown request.
 */
export async function decideFromForm(ctx: PageContext, requestId: string, form: Record<string, unknown>): Promise<{ title: string; status: number; body: Markup }> {
  const decision = form.decision;
  const inputHash = form.inputHash;
  const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
  if (decision !== 'approve' && decision !== 'deny') throw new HttpProblem(400, 'Malformed decision', 'Choose Approve or Deny on the approvals page.');
  if (typeof inputHash !== 'string' || !/^[0-9a-f]{64}$/.test(inputHash)) throw new HttpProblem(400, 'Malformed decision', 'The form lost the input hash of what you reviewed; reload the approvals page.');
  if (reason.length > 500) throw new HttpProblem(400, 'Note too long', 'Keep the note under 500 characters.');
  const request = requestId.length <= 200 ? await ctx.options.approvals.getRequest(requestId) : undefined;
  if (!request) throw new HttpProblem(404, 'No such approval request', 'The request may have been removed, or the link is wrong; open the approvals page again.');
  if (!(await mayDecide(ctx.options.directory, ctx.viewer, request))) {
    await ctx.options.audit.append({ type: 'access.denied', principalId: ctx.viewer, runId: request.runId, data: { viewer: ctx.viewer, target: `approval:${request.id}`, decision } });
    throw new HttpProblem(403, 'Not yours to decide', "Only someone above the requester in their management chain can decide this request. This attempt was recorded in the audit log.");
  }
  const { options } = ctx;
  const outcome = await decideApproval(
    { approvals: options.approvals, runStates: options.runStates, audit: options.audit, ...(options.agentFor ? { agentFor: options.agentFor } : {}) },
    { request, viewer: ctx.viewer, decision, inputHash, now: ctx.now, ...(reason ? { reason } : {}) },
  );
  if (outcome.type === 'refused') return { title: 'Decision refused', status: outcome.status, body: html`<section class="problem" role="alert" data-status="${outcome.status}" data-failure="${outcome.failure}"><p>${outcome.reason}</p><p>Nothing was recorded. <a href="${ctx.base}/approvals">Back to approvals</a></p></section>` };
  const title = outcome.outcome === 'approved' ? 'Approved' : outcome.outcome === 'denied' ? 'Denied' : 'Approval recorded';
  return { title, status: 200, body: await recordedBody(ctx, request, outcome) };
}

async function recordedBody(ctx: PageContext, request: ApprovalRequest, outcome: RecordedConsoleDecision): Promise<Markup> {
  const run = outcome.run;
  const names = (await Promise.all(outcome.approvers.map((id) => ctx.nameOf(id)))).join(', ');
  const needed = outcome.approversRequired - outcome.approvers.length;
  const what =
    outcome.outcome === 'awaiting_more_approvers'
      ? html`<p>Your approval of <code>${request.toolName}</code> for ${request.principal.id} is recorded. Approved so far by ${names}; <strong class="waiting-for">waiting for ${needed === 1 ? 'one more approver' : `${needed} more approvers`}</strong> (two-person rule: ${outcome.approversRequired} distinct people other than the requester).</p>`
      : html`<p>You ${outcome.outcome} <code>${request.toolName}</code> for ${request.principal.id}.${outcome.outcome === 'approved' && outcome.approvers.length > 1 ? html` Approved by ${names}.` : ''}</p>`;
  return html`<section class="decided" data-outcome="${outcome.outcome}">
${what}
${run
  ? html`<p id="run-outcome" data-stop-reason="${run.stopReason}">The run resumed and ended with <strong>${run.stopReason}</strong>${run.actions.length > 0 ? html`, after ${run.actions.map((a) => html`<code>${a.toolName}</code> (${a.mode})`)}` : ''}.</p>${run.text ? html`<blockquote>${run.text}</blockquote>` : ''}`
  : outcome.outcome === 'awaiting_more_approvers'
    ? html`<p id="run-outcome" data-stop-reason="awaiting">The run stays suspended until the next approver decides.</p>`
    : html`<p id="run-outcome" data-stop-reason="not-resumed">The decision is recorded; no suspended run of this request was found here, so the service resumes it.</p>`}
<p><a href="${ctx.base}/approvals">Back to approvals</a> · <a href="${ctx.base}/audit">Audit log</a></p>
</section>`;
}
