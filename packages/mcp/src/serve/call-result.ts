import type { DirectToolCallResult } from '@claw/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Keys Claw sets in a result's `_meta`, so clients can branch without parsing text. */
export const CLAW_META = {
  /** `true` when the content came from outside (email, chat, web) and is data, never instructions. */
  untrusted: 'claw/untrusted',
  /** `ok`, `previewed`, `awaiting_approval`, `error` or `denied`. */
  status: 'claw/status',
  /** The `ClawError` code of a refused or failed call. */
  errorCode: 'claw/errorCode',
  /** The id of the approval request a call waits for. */
  approvalRequestId: 'claw/approvalRequestId',
} as const;

/**
 * Turns the outcome of `agent.callTool` into an MCP `tools/call` result. Nothing is decided here: refusals and
 * failures become tool errors (`isError`) carrying the `ClawError` code, a call waiting for a human names its
 * approval request, and untrusted output keeps Claw's `<untrusted-content>` wrapping and is marked in `_meta`.
 */
export function toCallToolResult(result: DirectToolCallResult): CallToolResult {
  switch (result.status) {
    case 'ok':
      return {
        content: [{ type: 'text', text: result.content }],
        _meta: { [CLAW_META.status]: 'ok', [CLAW_META.untrusted]: result.untrusted },
      };
    case 'previewed':
      return {
        content: [{ type: 'text', text: result.content }],
        _meta: { [CLAW_META.status]: 'previewed', [CLAW_META.untrusted]: true },
      };
    case 'awaiting_approval': {
      const { request } = result;
      const text =
        `Approval required: ${request.toolName} was not performed. ${request.reason}. ` +
        `It waits as approval request ${request.id} (input hash ${request.inputHash}) until ${new Date(request.expiresAt).toISOString()}. ` +
        'Ask an approver to decide that request, then call the tool again with the same input.';
      return {
        isError: true,
        content: [{ type: 'text', text }],
        _meta: { [CLAW_META.status]: 'awaiting_approval', [CLAW_META.approvalRequestId]: request.id },
      };
    }
    case 'error':
    case 'denied':
      return {
        isError: true,
        content: [{ type: 'text', text: result.content }],
        _meta: { [CLAW_META.status]: result.status, [CLAW_META.errorCode]: result.error.code },
      };
  }
}
