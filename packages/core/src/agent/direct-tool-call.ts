import { ClawError, type ClawErrorCode } from '../errors';
import type { ApprovalRequest } from '../policy/approval';
import type { Trigger } from '../policy/principal';
import type { ToolPreview } from '../tools/define-tool';
import type { RunContext } from './agent-runtime';
import { processToolCall } from './tool-call';

/** Options of `agent.callTool`. */
export interface DirectToolCallOptions {
  /** Aborts the call (and the approval wait, if any). */
  signal?: AbortSignal;
  /** The call's id in the audit log and in approval requests. Default: a random id. */
  callId?: string;
  /** The run id the call is recorded under. Default: a random id. */
  runId?: string;
  /** What caused the call. Default: the agent's default trigger. */
  trigger?: Trigger;
}

/**
 * How a direct tool call ended, after the same lookup, validation, permission, policy, approval, sandbox and audit
 * steps a model's call goes through:
 * - `ok`: performed; `content` is what a model would read (wrapped when `untrusted`);
 * - `previewed`: sandbox, nothing was done; `preview` says what would have been;
 * - `awaiting_approval`: nothing was done; `request` waits in the agent's approval store;
 * - `error` / `denied`: nothing was done (or the tool failed); `error` says why.
 */
export type DirectToolCallResult =
  | { status: 'ok'; output: unknown; content: string; untrusted: boolean }
  | { status: 'previewed'; preview: ToolPreview; content: string }
  | { status: 'awaiting_approval'; request: ApprovalRequest }
  | { status: 'error' | 'denied'; error: ClawError; content: string };

/** Runs one call outside a model turn through the agent's tool-call pipeline and reports its outcome. */
export async function directToolCall(ctx: RunContext, call: { id: string; name: string; input: unknown }): Promise<DirectToolCallResult> {
  ctx.emit('tool:call', { runId: ctx.runId, step: 0, call });
  const outcome = await processToolCall(ctx, call);
  if (outcome.type === 'pending') return { status: 'awaiting_approval', request: outcome.request };
  const { result } = outcome;
  ctx.emit('tool:result', { runId: ctx.runId, step: 0, result });
  switch (result.status) {
    case 'ok':
      return { status: 'ok', output: result.output, content: result.content, untrusted: outcome.untrusted };
    case 'previewed':
      return { status: 'previewed', preview: result.output as ToolPreview, content: result.content };
    default: {
      const code = (result.errorCode ?? 'TOOL_EXECUTION') as ClawErrorCode;
      const message = result.content.replace(/^Error \[[A-Z_]+\]: /, '');
      return { status: result.status === 'denied' ? 'denied' : 'error', error: new ClawError(code, message), content: result.content };
    }
  }
}
