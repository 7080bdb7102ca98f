import {
  ApprovalDeniedError,
  ApprovalExpiredError,
  ApprovalFailedError,
  type ClawError,
  PermissionDeniedError,
  PolicyDeniedError,
  SandboxUnsupportedError,
  ToolInputError,
  ToolNotFoundError,
} from '../errors';
import { hashValue } from '../internal/canonical-json';
import type { Message } from '../model/messages';
import type { Tool } from '../tools/define-tool';
import { validateToolInput } from '../tools/tool-registry';
import type { ApprovalRequest, TimeLimitedGrant } from './approval';
import { decidePolicy, type PolicyDecision, type PolicyOptions } from './decide-policy';
import { judgeDecisions, type ApprovalFailure } from './evaluate-decisions';
import type { Environment, Principal } from './principal';
import { missingScopes, resolveScope } from './scopes';
import { grantCovers, influenceCheckedPart, sensitiveInputHash } from './sensitive-inputs';
import { untrustedInfluence } from './taint';

/** The call as the model (or a direct caller) made it. Nothing in it is trusted. */
export interface ToolCallAttempt {
  id: string;
  name: string;
  input: unknown;
  /** Set when the raw arguments were not valid JSON. */
  parseError?: string;
}

/**
 * What a human (or the lack of one) said about the approval request of a call. `decisions`: the answers, judged
 * against the request — from the approval handler (`handler`: fields it leaves out are bound to the request it was
 * asked about, and an incomplete answer is a denial) or recorded in the approval store (`recorded`: each names the
 * request and input hash, was judged against the clock when recorded, and fewer than required means still
 * waiting); `timeout`: nobody answered before expiry; `handler-error`: the approval handler threw;
 * `replayed`: the request was already decided and cannot be used again.
 */
export type ApprovalAnswer =
  | { kind: 'decisions'; source: 'handler' | 'recorded'; decisions: unknown }
  | { kind: 'timeout' }
  | { kind: 'handler-error'; message: string }
  | { kind: 'replayed' };

/** Everything a tool-call decision depends on. The carrier gathers these; the decision does no I/O. */
export interface ToolCallFacts {
  /** The registered tool of that name, or undefined. */
  tool: Tool | undefined;
  grants: readonly string[];
  environment: Environment;
  principal: Principal;
  policy: PolicyOptions;
  /** The conversation so far, every message labelled with its trust: taint is read from here. */
  messages: readonly Message[];
  /** The clock, in ms. */
  now: number;
  /** The principal's time-limited grants, once loaded; without them no grant can cover the call. */
  timeLimitedGrants?: readonly TimeLimitedGrant[];
  /** The stored approval request of this call and what was answered to it. */
  approval?: { request: ApprovalRequest; answer: ApprovalAnswer };
  /**
   * The stored request of a call being resumed, before any answer: a taint it recorded stays, whatever the
   * conversation in the saved state now says.
   */
  storedRequest?: ApprovalRequest;
}

/** What the decision establishes about a call that got past lookup and validation. */
export interface CheckedToolCall {
  tool: Tool;
  /** The validated input, exactly as it will run. */
  input: unknown;
  /** SHA-256 of the canonical JSON of `input`. */
  inputHash: string;
  /** SHA-256 of the sensitive inputs, the value a time-limited grant is bound to. */
  sensitiveInputHash: string;
  /** The tool's scopes with placeholders filled in from `input`. */
  scopes: string[];
  /** Sensitive argument values found in untrusted messages only; non-empty means tainted. */
  influence: string[];
  tainted: boolean;
  policy: PolicyDecision;
}

/** Where a refusal was decided; the audit event type follows from it. */
export type RejectStage = 'lookup' | 'input' | 'permission' | 'policy' | 'approval' | 'sandbox';

/**
 * The answer for one tool call:
 * - `reject`: do not run it; `error` goes back to the model (and is audited with `stage` and `failure`);
 * - `preview`: sandbox — run the tool's preview instead of it;
 * - `needs-approval`: ask a human (or suspend) with a request of `reason` and `approversRequired`;
 * - `execute`: perform it (`via` says what allowed it).
 */
export type ToolCallDecision =
  | { type: 'reject'; error: ClawError; stage: RejectStage; failure?: ApprovalFailure; approvers?: string[]; checked?: CheckedToolCall }
  | { type: 'preview'; checked: CheckedToolCall }
  | { type: 'needs-approval'; checked: CheckedToolCall; reason: string; approversRequired: number; approvers: string[] }
  | { type: 'execute'; checked: CheckedToolCall; via: 'policy' | 'grant' | 'approval'; grant?: TimeLimitedGrant; approvers?: string[]; grantForMs?: number };

/**
 * The single security decision for every tool call, made by the run loop, `resume` and `callTool` alike, which
 * only carry out its answer. In order:
 * 1. lookup: an unknown name is refused (`TOOL_NOT_FOUND`);
 * 2. input: unparseable or schema-violating arguments are refused (`TOOL_INPUT`);
 * 3. permission: a tool declaring no scope (and not marked `unscoped`), or a scope, filled in from the input, that
 *    no grant covers, is refused (`PERMISSION_DENIED`);
 * 4. taint: sensitive arguments repeating text found only in untrusted messages make the call tainted;
 * 5. policy: {@link decidePolicy} allows, asks for approval or denies (`POLICY_DENIED`);
 * 6. sandbox: a side effect is previewed instead, never approved or performed (`SANDBOX_UNSUPPORTED` without a preview);
 * 7. approval: a time-limited grant covers an untainted, one-approver call made with the same sensitive inputs;
 *    otherwise the human answer is judged against the stored request — bound to its id and to the hash of this
 *    input, before expiry by the clock, with enough distinct approvers other than the requester for the two-person
 *    rule — and a missing or incomplete answer means `needs-approval`.
 */
export function decideToolCall(call: ToolCallAttempt, facts: ToolCallFacts): ToolCallDecision {
  const { tool } = facts;
  if (!tool) return { type: 'reject', stage: 'lookup', error: new ToolNotFoundError(call.name) };
  if (call.parseError !== undefined) {
    return { type: 'reject', stage: 'input', error: new ToolInputError(tool.name, [{ path: '', message: `arguments are not valid JSON (${call.parseError})` }]) };
  }
  const validation = validateToolInput(tool, call.input);
  if (!validation.success) return { type: 'reject', stage: 'input', error: validation.error };
  const input = validation.input;

  if (tool.scopes.length === 0 && tool.unscoped !== true) {
    return { type: 'reject', stage: 'permission', error: new PermissionDeniedError(tool.name, ['(a declared scope)']) };
  }
  const missing = missingScopes(facts.grants, tool.scopes, input);
  if (missing.length > 0) return { type: 'reject', stage: 'permission', error: new PermissionDeniedError(tool.name, missing) };

  const scopes = tool.scopes.map((s) => resolveScope(s, input));
  const influence = untrustedInfluence(influenceCheckedPart(tool, input), facts.messages);
  const tainted = influence.length > 0 || facts.storedRequest?.tainted === true || facts.approval?.request.tainted === true;
  const policy = decidePolicy({ toolName: tool.name, effect: tool.effect, environment: facts.environment, scopes, input, tainted }, facts.policy);
  const checked = checkedCall({ tool, input, scopes, influence, tainted, policy });
  if (policy.type === 'deny') return { type: 'reject', stage: 'policy', checked, error: new PolicyDeniedError(tool.name, policy.reason) };

  if (facts.environment === 'sandbox' && tool.effect !== 'read') {
    // In the sandbox nothing is performed, so there is nothing to approve: the preview is the result.
    return tool.preview ? { type: 'preview', checked } : { type: 'reject', stage: 'sandbox', checked, error: new SandboxUnsupportedError(tool.name) };
  }
  if (policy.type === 'allow') return { type: 'execute', checked, via: 'policy' };
  return decideApproval(facts, checked, policy);
}

function decideApproval(facts: ToolCallFacts, checked: CheckedToolCall, policy: Extract<PolicyDecision, { type: 'approval' }>): ToolCallDecision {
  const { tool } = checked;
  const needs: ToolCallDecision = { type: 'needs-approval', checked, reason: policy.reason, approversRequired: policy.approversRequired, approvers: [] };
  const approval = facts.approval;
  if (!approval) {
    // Grants end approval fatigue for routine calls only: never for tainted calls or the two-person rule.
    const grant = checked.tainted || policy.approversRequired >= 2 ? undefined : facts.timeLimitedGrants?.find((g) =>
      grantCovers(g, { principalId: facts.principal.id, toolName: tool.name, environment: facts.environment, input: checked.input, sensitiveInputHash: checked.sensitiveInputHash, now: facts.now }));
    return grant ? { type: 'execute', checked, via: 'grant', grant, approvers: grant.approvers } : needs;
  }
  const { request, answer } = approval;
  const reject = (failure: ApprovalFailure, error: ClawError, approvers: string[] = []): ToolCallDecision => ({ type: 'reject', stage: 'approval', checked, failure, error, approvers });
  // The stored request must be for this tool, person and environment, for this very input, under at least today's
  // requirements. (Its call id is not compared: a direct call repeated after approval is a new call of the same input.)
  if (request.toolName !== tool.name || request.principal.id !== facts.principal.id || request.environment !== facts.environment) {
    return reject('binding', new ApprovalDeniedError(tool.name, 'the approval request was made for a different call'));
  }
  if (request.inputHash !== checked.inputHash) {
    return reject('binding', new ApprovalDeniedError(tool.name, 'the call\'s input differs from the input that was reviewed'));
  }
  const bound: ApprovalRequest = { ...request, approversRequired: Math.max(request.approversRequired, policy.approversRequired) };
  switch (answer.kind) {
    case 'timeout':
      return reject('timeout', new ApprovalExpiredError(`Approval for ${tool.name} timed out: nobody answered before ${new Date(request.expiresAt).toISOString()}. Ask again if it is still wanted.`));
    case 'handler-error':
      return reject('handler-error', new ApprovalFailedError(tool.name, answer.message));
    case 'replayed':
      return reject('replayed', new ApprovalDeniedError(tool.name, 'this request was already decided; a decision cannot be replayed'));
    case 'decisions': {
      const recorded = answer.source === 'recorded';
      if (recorded && Array.isArray(answer.decisions) && answer.decisions.length === 0) {
        // Nobody has decided yet: still waiting, until the request expires unanswered.
        return facts.now > request.expiresAt
          ? reject('timeout', new ApprovalExpiredError(`Approval for ${tool.name} timed out: nobody answered before ${new Date(request.expiresAt).toISOString()}. Ask again if it is still wanted.`))
          : needs;
      }
      // A recorded decision carries the time the store's clock took it, so an approval given in time stays valid.
      const now = recorded ? latestDecision(answer.decisions) ?? facts.now : facts.now;
      const verdict = judgeDecisions(bound, answer.decisions, { now, strictBinding: recorded, allowPartial: recorded });
      if (verdict.outcome === 'awaiting') return { ...needs, approversRequired: bound.approversRequired, approvers: verdict.approvers };
      if (verdict.outcome === 'denied') {
        const error = verdict.failure === 'expired' ? new ApprovalExpiredError(`Approval for ${tool.name} expired: ${verdict.reason}`) : new ApprovalDeniedError(tool.name, verdict.reason);
        return reject(verdict.failure, error, verdict.approvers);
      }
      return { type: 'execute', checked, via: 'approval', approvers: verdict.approvers, ...(verdict.grantForMs !== undefined ? { grantForMs: verdict.grantForMs } : {}) };
    }
  }
}

function latestDecision(decisions: unknown): number | undefined {
  if (!Array.isArray(decisions) || decisions.length === 0) return undefined;
  const times = decisions.map((d: { decidedAt?: unknown }) => (typeof d?.decidedAt === 'number' ? d.decidedAt : Number.POSITIVE_INFINITY));
  return Math.max(...times);
}

/** The checked call, its hashes computed on first use: only approvals and grants need them, not every read. */
function checkedCall(fields: Omit<CheckedToolCall, 'inputHash' | 'sensitiveInputHash'>): CheckedToolCall {
  let inputHash: string | undefined;
  let sensitive: string | undefined;
  return {
    ...fields,
    get inputHash() {
      return (inputHash ??= hashValue(fields.input));
    },
    get sensitiveInputHash() {
      return (sensitive ??= sensitiveInputHash(fields.tool, fields.input));
    },
  };
}
