import type { ApprovalDecision, ApprovalRequest } from '@claw/core';
import { formatTable, isoMinute } from '../format/table';

/** One line per pending request: what, for whom, where, until when. */
export function formatPendingTable(requests: readonly ApprovalRequest[], now: number): string {
  if (requests.length === 0) return 'No approval requests are waiting.';
  return formatTable(
    ['id', 'principal', 'tool', 'effect', 'environment', 'requested', 'expires', 'approvers', 'preview'].map((heading) => ({ heading })),
    requests.map((r) => [
      r.id,
      r.principal.id,
      r.toolName,
      r.effect,
      r.environment,
      isoMinute(r.requestedAt),
      r.expiresAt <= now ? `${isoMinute(r.expiresAt)} (expired)` : isoMinute(r.expiresAt),
      String(r.approversRequired),
      oneLine(r.preview?.summary ?? '(no preview)', 80),
    ]),
  );
}

/**
 * Everything an approver must see before deciding: the tool and its effect, who it acts for, why approval is
 * needed, the preview, the exact input that will execute (with the hash a decision is bound to) and who decided so far.
 */
export function formatRequest(request: ApprovalRequest, status: 'pending' | 'decided', now: number, decisions: readonly ApprovalDecision[] = []): string {
  const expired = request.expiresAt <= now;
  const lines = [
    `Approval request ${request.id} (${status}${status === 'pending' && expired ? ', expired' : ''})`,
    `Tool:        ${request.toolName} (${request.effect}) in ${request.environment}`,
    `For:         ${request.principal.id}${request.principal.displayName ? ` (${request.principal.displayName})` : ''}, run ${request.runId}, call ${request.toolCallId}`,
    `Why:         ${request.reason}`,
    `Requested:   ${isoMinute(request.requestedAt)}; expires ${isoMinute(request.expiresAt)}${expired ? ' (expired)' : ''}`,
    request.approversRequired === 1 ? 'Approvers:   1 person' : `Approvers:   ${request.approversRequired} distinct people other than ${request.principal.id}`,
    `Decided:     ${decisions.length === 0 ? 'nobody yet' : decisions.map((d) => `${d.approver} (${d.decision})`).join(', ')}`,
    '',
    'Preview (what the call would do):',
    indent(request.preview?.summary ?? '(the tool offers no preview)'),
    ...(request.preview?.details !== undefined ? ['', 'Preview details:', indent(JSON.stringify(request.preview.details, null, 2))] : []),
    '',
    'Exact input (runs exactly as shown; secrets are redacted in the store):',
    indent(JSON.stringify(request.input, null, 2) ?? 'undefined'),
    `Input hash:  ${request.inputHash}`,
  ];
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
