import { AbortedError, InvalidArgumentError, type ApprovalDecision, type ApprovalHandler, type ApprovalRequest } from '@claw/core';
import type { SlackClient } from '../client/slack-client';
import { SlackDirectory } from '../directory/slack-directory';
import {
  APPROVE_ACTION_ID,
  DENY_ACTION_ID,
  approvalFallbackText,
  approvalMessages,
  decidedBlocks,
  formatDuration,
  type ApprovalOutcomeNote,
} from './approval-message';

/** Options of {@link slackApprovals}. */
export interface SlackApprovalsOptions {
  /** The client that posts requests and reads reactions (`createSlackClient`). */
  client: SlackClient;
  /** Where requests are posted: `#approvals` or a channel id. The app must be a member. */
  channel: string;
  /**
   * Who may decide: a map from each approver's Slack user id to the principal id Claw knows them by
   * (`{ U0RAJ0001: 'raj' }`). Decisions record the principal id, and a Slack account that maps to the principal who
   * asked is refused, so nobody approves their own request. Anyone not in the map is ignored.
   */
  approvers: Readonly<Record<string, string>>;
  /** How long to wait for a decision before denying. Default 10 minutes; never later than the request's expiry. */
  timeoutMs?: number;
  /** How often to read the reactions on a posted request. Default 3 s; 0 relies on {@link SlackApprovalHandler.handleInteraction} only. */
  pollIntervalMs?: number;
  /** Reaction names that approve / deny. Defaults `white_check_mark` / `x`. */
  reactions?: {
    /** Reactions that approve. Default `white_check_mark`. */
    approve?: readonly string[];
    /** Reactions that deny. Default `x`. */
    deny?: readonly string[];
  };
  /** Called when updating the posted request after a decision, or one poll, fails; the decision stands. */
  onError?: (error: unknown) => void;
}

/** What {@link SlackApprovalHandler.handleInteraction} did with a payload. */
export type SlackInteractionResult =
  | {
      /** The click decided a pending request. */
      status: 'accepted';
      /** The approval request it decided. */
      requestId: string;
      /** The button clicked. */
      decision: 'approve' | 'deny';
      /** The approver id recorded in the decision. */
      approver: string;
    }
  | {
      /** The payload changed nothing: not an approval button, an unknown or decided request, or a person who may not decide. */
      status: 'ignored';
      /** Why, in words. */
      reason: string;
    };

/** An `ApprovalHandler` that asks in Slack, plus the entry point for Slack's interactivity requests. */
export interface SlackApprovalHandler extends ApprovalHandler {
  /**
   * Applies a Slack `block_actions` payload (the parsed `payload` field Slack POSTs to your interactivity URL,
   * or its JSON text) to the request it belongs to. Verify the request's signature first (see
   * `verifySlackSignature`): this trusts the user id in the payload.
   */
  handleInteraction(payload: unknown): SlackInteractionResult;
  /** Ids of requests still waiting for a decision. */
  pendingRequestIds(): string[];
}

function personKey(id: string): string {
  return id.normalize('NFKC').trim().toLowerCase();
}

function samePerson(a: string, b: string): boolean {
  return personKey(a) === personKey(b);
}

/** `approver` of the deny decision returned when nobody answered in time. */
export const SLACK_APPROVAL_TIMEOUT_APPROVER = 'slack:timeout';

interface Pending {
  request: ApprovalRequest;
  channelId: string;
  ts: string;
  /** Decisions so far, by approver id; a deny settles at once. */
  decisions: Map<string, ApprovalDecision & { slackUser: string }>;
  settle(): void;
}

/**
 * Human-in-the-loop over Slack: posts each approval request to a channel (who asks, tool, input, preview,
 * expiry, buttons) and resolves from an approver's button click ({@link SlackApprovalHandler.handleInteraction})
 * or reaction (polled with `reactions.get`). Decisions are bound to the request (`requestId`, `toolCallId`,
 * `inputHash` copied from it). Decisions from people not in `approvers`, and from the principal who asked, are
 * ignored; a deny from any approver denies; `approversRequired` distinct approvals approve. No decision in time
 * returns a deny. When the signal fires the request is marked cancelled and the handler rejects with `AbortedError`.
 * @throws InvalidArgumentError when no approver is given or the timings are not positive numbers.
 */
export function slackApprovals(options: SlackApprovalsOptions): SlackApprovalHandler {
  if (Array.isArray(options.approvers) || options.approvers === null || typeof options.approvers !== 'object') {
    throw new InvalidArgumentError(
      'slackApprovals needs `approvers` as a map from Slack user id to principal id, e.g. { U0RAJ0001: "raj" }: without it a requester\'s own Slack account cannot be told from another approver.',
    );
  }
  const approverIds: ReadonlyMap<string, string> = new Map(Object.entries(options.approvers));
  if (approverIds.size === 0) throw new InvalidArgumentError('slackApprovals needs at least one approver: { slackUserId: principalId }.');
  for (const [slackUser, principal] of approverIds) {
    if (typeof principal !== 'string' || principal.trim() === '') {
      throw new InvalidArgumentError(`slackApprovals: approver ${slackUser} maps to ${JSON.stringify(principal)}; give the principal id Claw knows them by.`);
    }
  }
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 3000;
  if (!(timeoutMs > 0) || !(pollIntervalMs >= 0)) {
    throw new InvalidArgumentError('slackApprovals: timeoutMs must be > 0 and pollIntervalMs ≥ 0 (milliseconds).');
  }
  const approveReactions = options.reactions?.approve ?? ['white_check_mark'];
  const denyReactions = options.reactions?.deny ?? ['x'];
  const onError = options.onError ?? (() => {});
  const directory = new SlackDirectory(options.client);
  const pending = new Map<string, Pending>();

  /** Records a decision by a Slack user; false when they may not decide this request. */
  function record(entry: Pending, slackUser: string, decision: 'approve' | 'deny', how: string): string | undefined {
    const approver = approverIds.get(slackUser);
    if (approver === undefined) return `<@${slackUser}> is not an approver`;
    // Ids are compared as people would read them: 'Priya ' and 'priya' are the same person.
    if (samePerson(approver, entry.request.principal.id)) return 'people cannot approve their own requests';
    const key = personKey(approver);
    const existing = entry.decisions.get(key);
    if (existing && (existing.decision === 'deny' || decision === 'approve')) return undefined;
    entry.decisions.set(key, {
      decision,
      approver,
      slackUser,
      requestId: entry.request.id,
      toolCallId: entry.request.toolCallId,
      inputHash: entry.request.inputHash,
      reason: `${decision === 'approve' ? 'approved' : 'denied'} in Slack (${how})`,
      decidedAt: Date.now(),
    });
    entry.settle();
    return undefined;
  }

  function outcome(entry: Pending): { type: 'approved' | 'denied'; decisions: (ApprovalDecision & { slackUser: string })[] } | undefined {
    const all = [...entry.decisions.values()];
    const deny = all.find((d) => d.decision === 'deny');
    if (deny) return { type: 'denied', decisions: [deny] };
    const approvals = all.filter((d) => d.decision === 'approve');
    return approvals.length >= Math.max(1, entry.request.approversRequired) ? { type: 'approved', decisions: approvals } : undefined;
  }

  async function pollReactions(entry: Pending, signal: AbortSignal): Promise<void> {
    const { message } = await options.client.call<{ message?: { reactions?: { name: string; users?: string[] }[] } }>(
      'reactions.get',
      { channel: entry.channelId, timestamp: entry.ts, full: true },
      { signal },
    );
    for (const reaction of message?.reactions ?? []) {
      const decision = denyReactions.includes(reaction.name) ? 'deny' : approveReactions.includes(reaction.name) ? 'approve' : undefined;
      if (!decision) continue;
      for (const user of reaction.users ?? []) record(entry, user, decision, `reacted :${reaction.name}:`);
    }
  }

  async function finish(entry: Pending, blocks: Record<string, unknown>[], note: ApprovalOutcomeNote): Promise<void> {
    try {
      await options.client.call('chat.update', {
        channel: entry.channelId,
        ts: entry.ts,
        text: approvalFallbackText(entry.request),
        blocks: decidedBlocks(blocks, note),
      });
    } catch (error) {
      onError(error);
    }
  }

  const handler = async (request: ApprovalRequest, { signal }: { signal: AbortSignal }): Promise<ApprovalDecision | ApprovalDecision[]> => {
    if (signal.aborted) throw new AbortedError();
    const startedAt = Date.now();
    const deadline = Math.min(startedAt + timeoutMs, request.expiresAt);
    const channel = await directory.channel(options.channel, signal);
    const { blocks, continuation } = approvalMessages(request, [...approverIds.keys()], deadline);
    const posted = await options.client.call<{ channel: string; ts: string }>(
      'chat.postMessage',
      { channel: channel.id, text: approvalFallbackText(request), blocks, unfurl_links: false },
      { signal },
    );
    // An input too long for one message continues in the thread, in order, before anyone is asked to decide on it.
    for (const [i, part] of continuation.entries()) {
      await options.client.call(
        'chat.postMessage',
        { channel: posted.channel, thread_ts: posted.ts, text: `Input of request ${request.id}, part ${i + 2} of ${continuation.length + 1}`, blocks: part, unfurl_links: false },
        { signal },
      );
    }
    const stop = new AbortController();
    let wake: () => void = () => {};
    const entry: Pending = {
      request,
      channelId: posted.channel,
      ts: posted.ts,
      decisions: new Map(),
      settle: () => wake(),
    };
    pending.set(request.id, entry);
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => stop.abort(), Math.max(0, deadline - Date.now()));
    try {
      for (;;) {
        const settled = outcome(entry);
        if (settled) {
          const by = settled.decisions.map((d) => d.slackUser);
          await finish(entry, blocks, settled.type === 'approved' ? { type: 'approved', by } : { type: 'denied', by: by[0]! });
          const decisions = settled.decisions.map(({ slackUser: _slackUser, ...decision }) => decision);
          return decisions.length === 1 ? decisions[0]! : decisions;
        }
        if (stop.signal.aborted) break;
        // Sleep until the next poll, a button click (wake), the deadline or an abort, whichever comes first.
        await new Promise<void>((resolve) => {
          const done = () => {
            stop.signal.removeEventListener('abort', done);
            clearTimeout(pollTimer);
            resolve();
          };
          wake = done;
          stop.signal.addEventListener('abort', done, { once: true });
          const pollTimer = pollIntervalMs > 0 ? setTimeout(done, pollIntervalMs) : undefined;
        });
        wake = () => {};
        if (pollIntervalMs > 0 && !stop.signal.aborted && !outcome(entry)) {
          await pollReactions(entry, stop.signal).catch((error: unknown) => {
            if (!(error instanceof AbortedError)) onError(error);
          });
        }
      }
      if (signal.aborted) {
        await finish(entry, blocks, { type: 'aborted' });
        throw new AbortedError('The approval request was cancelled: the run was aborted.');
      }
      await finish(entry, blocks, { type: 'timeout', afterMs: deadline - startedAt });
      return {
        decision: 'deny',
        approver: SLACK_APPROVAL_TIMEOUT_APPROVER,
        requestId: request.id,
        toolCallId: request.toolCallId,
        inputHash: request.inputHash,
        reason: `No approver answered in Slack within ${formatDuration(deadline - startedAt)}.`,
        decidedAt: Date.now(),
      };
    } finally {
      clearTimeout(timer);
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      pending.delete(request.id);
    }
  };

  function handleInteraction(payload: unknown): SlackInteractionResult {
    let body = payload;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        return { status: 'ignored', reason: 'payload is not JSON' };
      }
    }
    const p = body as {
      type?: unknown;
      user?: { id?: unknown };
      actions?: { action_id?: unknown; value?: unknown }[];
      container?: { message_ts?: unknown; channel_id?: unknown };
    };
    if (p?.type !== 'block_actions' || !Array.isArray(p.actions)) return { status: 'ignored', reason: 'not a block_actions payload' };
    const action = p.actions.find((a) => a?.action_id === APPROVE_ACTION_ID || a?.action_id === DENY_ACTION_ID);
    if (!action || typeof action.value !== 'string') return { status: 'ignored', reason: 'no Claw approval button in the payload' };
    const entry = pending.get(action.value);
    if (!entry) return { status: 'ignored', reason: 'the request is not pending (decided, expired or unknown)' };
    // The button must have been clicked on the message that carries this request.
    if (p.container?.message_ts !== entry.ts || p.container?.channel_id !== entry.channelId) {
      return { status: 'ignored', reason: 'the payload does not come from the request message' };
    }
    const user = typeof p.user?.id === 'string' ? p.user.id : '';
    const decision = action.action_id === APPROVE_ACTION_ID ? 'approve' : 'deny';
    const refused = record(entry, user, decision, decision === 'approve' ? 'clicked Approve' : 'clicked Deny');
    if (refused) return { status: 'ignored', reason: refused };
    return { status: 'accepted', requestId: entry.request.id, decision, approver: approverIds.get(user)! };
  }

  return Object.assign(handler, { handleInteraction, pendingRequestIds: () => [...pending.keys()] });
}
