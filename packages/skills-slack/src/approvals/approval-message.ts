import { redactSecrets, type ApprovalRequest } from '@claw/core';
import { escapeMrkdwn } from '../messages/mentions';

/** `action_id` of the Approve button on a posted approval request. */
export const APPROVE_ACTION_ID = 'claw_approval_approve';
/** `action_id` of the Deny button on a posted approval request. */
export const DENY_ACTION_ID = 'claw_approval_deny';

const SECTION_LIMIT = 2900;
/** Slack refuses a message of more than 50 blocks; the rest of a long input goes to replies in the thread. */
const MAX_BLOCKS = 50;
/** Top-level input fields shorter than this (as JSON) are listed first: recipients, channels, refs, environments. */
const KEY_FIELD_CHARS = 300;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Cuts escaped mrkdwn into pieces of at most `max` characters, at a line end when there is one near the limit and
 * never inside an entity (`&amp;`): nothing is dropped.
 */
export function splitForSections(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    const amp = rest.lastIndexOf('&', cut);
    if (amp > cut - 6 && rest.indexOf(';', amp) >= cut) cut = amp;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts;
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** Sections holding all of `text` under a title, each within Slack's limit, numbered when there are several. */
function sections(title: string, text: string, code: boolean): Record<string, unknown>[] {
  const room = SECTION_LIMIT - title.length - 30;
  const parts = splitForSections(text, room);
  return parts.map((part, i) => {
    const label = parts.length > 1 ? `${title} (part ${i + 1} of ${parts.length})` : title;
    return section(code ? `${label}\n\`\`\`${part}\`\`\`` : `${label} ${part}`);
  });
}

/** The short top-level fields of an input (who, where, what ref), shown before anything long. */
function keyFields(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const lines = Object.entries(input as Record<string, unknown>)
    .map(([field, value]) => [field, JSON.stringify(value) ?? 'undefined'] as const)
    .filter(([, json]) => json.length <= KEY_FIELD_CHARS)
    .map(([field, json]) => `• \`${escapeMrkdwn(field)}\`: ${escapeMrkdwn(json)}`);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** An approval request as Slack messages: the request itself, and replies carrying what did not fit in it. */
export interface ApprovalMessages {
  /** Blocks of the request message (with the buttons). */
  blocks: Record<string, unknown>[];
  /** Blocks of each reply to post in its thread, in order; empty when everything fits in one message. */
  continuation: Record<string, unknown>[][];
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
 * Block Kit for an approval request: who asks, which tool with what effect where, why, the input's short fields
 * (recipients, channel, environment, ref) first, the preview, the whole input, the binding (request id, input hash),
 * the expiry, and Approve / Deny buttons. Nothing is cut: long text is split over several sections, and what does
 * not fit in one message goes to replies in its thread ({@link approvalMessages}). Everything that came from the
 * model or the input is escaped, so `<!channel>` in it shows literally and notifies nobody, and secrets are redacted.
 */
export function approvalMessages(request: ApprovalRequest, approverIds: readonly string[], deadline: number): ApprovalMessages {
  // The channel is read by more people than the approvers: secrets in the input are not shown (the hash still binds them).
  const shown = redactSecrets({ input: request.input, preview: request.preview, reason: request.reason });
  const input = JSON.stringify(shown.input, null, 2) ?? 'undefined';
  const needs = request.approversRequired > 1 ? `${request.approversRequired} different approvers` : 'one approver';
  const key = keyFields(shown.input);
  const head: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Approval needed: ${request.toolName}`, 150) } },
    ...sections(
      `*${who(request)}* asks to run \`${request.toolName}\` (${request.effect}, ${request.environment}).\n*Why approval:*`,
      escapeMrkdwn(shown.reason),
      false,
    ),
    ...(key ? sections('*Recipients, destination and other short fields:*\n', key, false) : []),
    ...(shown.preview ? sections('*Preview:*', escapeMrkdwn(shown.preview.summary), false) : []),
  ];
  const body = sections('*Input:*', escapeMrkdwn(input), true);
  const tail: Record<string, unknown>[] = [
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
  const room = MAX_BLOCKS - tail.length - 1;
  const content = [...head, ...body];
  if (content.length <= room + 1) return { blocks: [...content, ...tail], continuation: [] };
  const inMessage = content.slice(0, room);
  const rest = content.slice(room);
  const continuation: Record<string, unknown>[][] = [];
  for (let i = 0; i < rest.length; i += MAX_BLOCKS) continuation.push(rest.slice(i, i + MAX_BLOCKS));
  const note = section(`:thread: The rest of the input is in ${continuation.length} repl${continuation.length === 1 ? 'y' : 'ies'} in this thread: read them before deciding.`);
  return { blocks: [...inMessage, note, ...tail], continuation };
}

/** The blocks of the request message alone (see {@link approvalMessages} for inputs too long for one message). */
export function approvalBlocks(request: ApprovalRequest, approverIds: readonly string[], deadline: number): Record<string, unknown>[] {
  return approvalMessages(request, approverIds, deadline).blocks;
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
