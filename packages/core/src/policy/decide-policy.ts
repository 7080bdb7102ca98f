import { ruleApplies, type PolicyCall, type PolicyRule } from './policy-rule';

/** The normalised decision for one call. */
export type PolicyDecision =
  | { type: 'allow'; reason: string }
  | { type: 'approval'; reason: string; approversRequired: number }
  | { type: 'deny'; reason: string };

/** Options that shape decisions besides rules. */
export interface PolicyOptions {
  rules?: readonly PolicyRule[];
  /** Tools that always need two distinct approvers. */
  twoPersonRule?: readonly string[];
}

/**
 * Decides allow / approval / deny for a validated, permitted call.
 *
 * Which setting wins:
 * 1. A matching `deny` rule denies.
 * 2. A matching `approve` rule asks for approval.
 * 3. A matching `allow` rule allows — except a `deploy` in production, which always needs approval.
 * 4. Defaults by effect: `read` allowed; `write` allowed in the sandbox and approved in production;
 *    `external` and `deploy` approved.
 * Then: a non-read call whose arguments were copied from untrusted content is never merely allowed (it needs
 * approval), and tools under the two-person rule need two approvers.
 */
export function decidePolicy(call: PolicyCall, options: PolicyOptions = {}): PolicyDecision {
  const applying = (options.rules ?? []).filter((rule) => ruleApplies(rule, call));
  const deny = applying.find((r) => r.verdict === 'deny');
  if (deny) return { type: 'deny', reason: deny.reason ?? `a deny rule covers ${call.toolName}` };

  let decision: PolicyDecision;
  const approve = applying.find((r) => r.verdict === 'approve');
  const allow = applying.find((r) => r.verdict === 'allow');
  if (approve) {
    decision = { type: 'approval', reason: approve.reason ?? `a rule requires approval for ${call.toolName}`, approversRequired: approve.approvers ?? 1 };
  } else if (allow && !(call.effect === 'deploy' && call.environment === 'production')) {
    decision = { type: 'allow', reason: allow.reason ?? `an allow rule covers ${call.toolName}` };
  } else {
    decision = defaultDecision(call);
  }

  if (call.tainted && call.effect !== 'read') {
    const taint = 'its arguments were copied from untrusted content (email, chat or web), which may be trying to steer the agent';
    decision =
      decision.type === 'allow'
        ? { type: 'approval', reason: taint, approversRequired: 1 }
        : decision.type === 'approval'
          ? { ...decision, reason: `${decision.reason}; also, ${taint}` }
          : decision;
  }
  if (decision.type === 'approval' && options.twoPersonRule?.includes(call.toolName)) {
    decision = { ...decision, approversRequired: Math.max(2, decision.approversRequired) };
  }
  return decision;
}

function defaultDecision(call: PolicyCall): PolicyDecision {
  switch (call.effect) {
    case 'read':
      return { type: 'allow', reason: 'reads are allowed by default' };
    case 'write':
      return call.environment === 'sandbox'
        ? { type: 'allow', reason: 'writes are allowed in the sandbox (previewed, not performed)' }
        : { type: 'approval', reason: 'writes in production need approval by default', approversRequired: 1 };
    case 'external':
      return { type: 'approval', reason: 'actions that reach outside (send, post) always need approval by default', approversRequired: 1 };
    case 'deploy':
      return { type: 'approval', reason: 'deployments always need approval', approversRequired: 1 };
  }
}
