import type { ClawError } from '../errors';
import type { ToolCall } from '../model/messages';
import type { ApprovalRequest } from '../policy/approval';
import type { Trigger } from '../policy/principal';
import type { ToolPreview } from '../tools/define-tool';
import type { RunContext } from './agent-runtime';
import { failedRun } from './run-loop';
import { processToolCall } from './tool-call';

/** Options of `agent.callTool`. */
export interface CallToolOptions {
  signal?: AbortSignal;
  /** The call's id (default random): audit entries and the approval request carry it. */
  callId?: string;
  /** The run id the call is recorded under (default random). */
  runId?: string;
  trigger?: Trigger;
  /** Handed to the tool as `ctx.idempotencyKey` (a background job passes one per job, principal and tick). */
  idempotencyKey?: string;
}

/**
 * How a direct tool call ended: `ok` (performed; `untrusted` when its output is outside content), `previewed`
 * (sandbox), `awaiting_approval` (a pending request in the approval store; approve it, then call again), or a
 * refusal or failure (`denied` for permission, policy and approval refusals; `error` otherwise).
 */
export type DirectToolCallResult =
  | { status: 'ok'; output: unknown; content: string; untrusted: boolean }
  | { status: 'previewed'; preview: ToolPreview; content: string }
  | { status: 'awaiting_approval'; request: ApprovalRequest }
  | { status: 'error' | 'denied'; error: ClawError; content: string };

/** Carries one direct call through the same path as a model's tool call; a recording failure is an `error` result. */
export async function callToolDirectly(ctx: RunContext, call: ToolCall): Promise<DirectToolCallResult> {
  try {
    const outcome = await processToolCall(ctx, call, { kind: 'new', reuseStored: true });
    if (outcome.type === 'pending') return { status: 'awaiting_approval', request: outcome.request };
    const { result, error, untrusted } = outcome;
    if (error) return { status: result.status === 'denied' ? 'denied' : 'error', error, content: result.content };
    if (result.status === 'previewed') return { status: 'previewed', preview: result.output as ToolPreview, content: result.content };
    return { status: 'ok', output: result.output, content: result.content, untrusted };
  } catch (error) {
    const failed = failedRun(ctx, error);
    return { status: 'error', error: failed.error!, content: `Error [${failed.error!.code}]: ${failed.error!.message}` };
  }
}
