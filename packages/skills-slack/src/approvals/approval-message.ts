import type { ApprovalRequest } from '@claw/core';
import { escapeMrkdwn } from '../messages/mentions';

/** `action_id` of the Approve button on a posted approval request. */
export const APPROVE_ACTION_ID = 'claw_approval_approve';
/** `action_id` of the Deny button on a posted approval request. */
export const DENY_ACTION_ID = 'claw_approval_deny';

const SECTION_LIMIT = 2900;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function slackDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

function who(request: ApprovalRequest): string {
  const name = request.principal.displayName ? `${request.principal.displayName} (${request.principal.id})` : request.principal.id;
  return escapeMrkdwn(name);
}

/** The notification text of an approval message (shown where blocks are not). */
export function approvalFallbackText(request: ApprovalRequest): string {
  return escapeMrkdwn(`Approval needed: ${request.principal.displayName ?? request.principal.id} wants to run ${request.toolName}`);
}

/**
 * Block Kit for an approval request: who asks, which tool with what effect where, why, the preview, the exact
 * input, the binding (request id, input hash), the expiry, and Approve / Deny buttons. Everything that came from
 * the model or the input is escaped, so an input holding `<!channel>` shows literally and notifies nobody.
 */
export function approvalBlocks(request: ApprovalRequest, approverIds: readonly string[], deadline: number): Record<string, unknown>[] {
  const input = JSON.stringify(request.input, null, 2) ?? 'undefined';
  const needs = request.approversRequired > 1 ? `${request.approversRequired} different approvers` : 'one approver';
  return [
    { type: 'header', text: { type: 'plain_text', text: clip(`Approval needed: ${request.toolName}`, 150) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*${who(request)}* asks to run \`${request.toolName}\` (${request.effect}, ${request.environment}).\n*Why approval:* ${escapeMrkdwn(request.reason)}`,
          SECTION_LIMIT,
        ),
      },
    },
    ...(request.preview
      ? [{ type: 'section', text: { type: 'mrkdwn', text: clip(`*Preview:* ${escapeMrkdwn(request.preview.summary)}`, SECTION_LIMIT) } }]
      : []),
    { type: 'section', text: { type: 'mrkdwn', text: `*Input:*\n\`\`\`${clip(escapeMrkdwn(input), SECTION_LIMIT - 20)}\`\`\`` } },
    {
      type: 'context',
      block_id: 'claw_approval_binding',
      elements: [
        {
          type: 'mrkdwn',
          text: `Request \`${escapeMrkdwn(request.id)}\` · call \`${escapeMrkdwn(request.toolCallId)}\` · input sha256 \`${request.inputHash.slice(0, 16)}…\` · expires ${slackDate(deadline)} · needs ${needs}`,
        },
      ],
    },
    {
      type: 'actions',
      block_id: `claw_approval_${request.id}`.slice(0, 255),
      elements: [
        { type: 'button', action_id: APPROVE_ACTION_ID, style: 'primary', value: request.id, text: { type: 'plain_text', text: 'Approve' } },
        { type: 'button', action_id: DENY_ACTION_ID, style: 'danger', value: request.id, text: { type: 'plain_text', text: 'Deny' } },
      ],
    },
    {
      type: 'context',
      block_id: 'claw_approval_help',
      elements: [
        {
          type: 'mrkdwn',
          text: clip(`Approvers: ${approverIds.map((id) => `<@${id}>`).join(', ')}. Click a button, or react with :white_check_mark: to approve or :x: to deny.`, SECTION_LIMIT),
        },
      ],
    },
  ];
}

/** `850 ms`, `45 s`, `10 min`: how long a person waited, in words. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** How a request ended, as shown on the updated message. */
export type ApprovalOutcomeNote =
  | { type: 'approved'; by: readonly string[] }
  | { type: 'denied'; by: string }
  | { type: 'timeout'; afterMs: number }
  | { type: 'aborted' };

/** The blocks after a decision: the request without its buttons, and a line saying how it ended. */
export function decidedBlocks(blocks: readonly Record<string, unknown>[], note: ApprovalOutcomeNote): Record<string, unknown>[] {
  const line =
    note.type === 'approved'
      ? `:white_check_mark: Approved by ${note.by.map((id) => `<@${id}>`).join(', ')}`
      : note.type === 'denied'
        ? `:x: Denied by <@${note.by}>`
        : note.type === 'timeout'
          ? `:hourglass: No decision within ${formatDuration(note.afterMs)}: denied`
          : ':no_entry_sign: Cancelled: the agent stopped waiting (the run was aborted or the request expired)';
  return [
    ...blocks.filter((block) => block.type !== 'actions' && block.block_id !== 'claw_approval_help'),
    { type: 'context', elements: [{ type: 'mrkdwn', text: line }] },
  ];
}
