import type { ToolEffect } from '../tools/define-tool';
import type { Environment } from './principal';
import { scopeMatches } from './scopes';

/** What a rule, or the defaults, decide for a call. */
export type PolicyVerdict = 'allow' | 'approve' | 'deny';

/**
 * A rule over tool calls. Every condition given must hold for the rule to apply. Deny rules win over approval
 * rules, which win over allow rules; with no rule applying, the effect defaults decide (see {@link decidePolicy}).
 */
export interface PolicyRule {
  /** Tool name(s) the rule covers. */
  tool?: string | readonly string[];
  /**
   * Tool name(s) the rule does not cover: it applies to every other tool. A `deny` rule with only this condition is
   * an allow-list, e.g. the `allowed-tools` of an Agent Skill that a skill contributes as a hard restriction.
   */
  exceptTool?: string | readonly string[];
  /** A scope pattern; the rule applies when it matches one of the call's resolved scopes. */
  scope?: string;
  effect?: ToolEffect | readonly ToolEffect[];
  environment?: Environment;
  /** Input fields that must equal (string/number/boolean) or match (RegExp) for the rule to apply. */
  input?: Readonly<Record<string, string | number | boolean | RegExp>>;
  /** Arbitrary condition on the validated input. */
  when?: (input: unknown) => boolean;
  verdict: PolicyVerdict;
  /** Shown to approvers and in denials. */
  reason?: string;
  /** With `approve`: distinct approvers required (2 is the two-person rule). */
  approvers?: number;
}

/** The facts a policy decision is made from. Nothing the model wrote is among them, except the validated input. */
export interface PolicyCall {
  toolName: string;
  effect: ToolEffect;
  environment: Environment;
  scopes: readonly string[];
  input: unknown;
  /** Arguments copied from untrusted content (see `findUntrustedInfluence`). */
  tainted: boolean;
}

/** True when every condition of the rule holds for the call. */
export function ruleApplies(rule: PolicyRule, call: PolicyCall): boolean {
  if (rule.tool !== undefined && !(typeof rule.tool === 'string' ? [rule.tool] : rule.tool).includes(call.toolName)) return false;
  if (rule.exceptTool !== undefined && (typeof rule.exceptTool === 'string' ? [rule.exceptTool] : rule.exceptTool).includes(call.toolName)) return false;
  if (rule.effect !== undefined && !(typeof rule.effect === 'string' ? [rule.effect] : rule.effect).includes(call.effect)) return false;
  if (rule.environment !== undefined && rule.environment !== call.environment) return false;
  if (rule.scope !== undefined && !call.scopes.some((s) => scopeMatches(rule.scope!, s))) return false;
  if (rule.input !== undefined) {
    const input = (call.input ?? {}) as Record<string, unknown>;
    for (const [field, expected] of Object.entries(rule.input)) {
      const actual = Object.hasOwn(input, field) ? input[field] : undefined;
      if (expected instanceof RegExp ? !(typeof actual === 'string' && expected.test(actual)) : actual !== expected) return false;
    }
  }
  if (rule.when !== undefined && !rule.when(call.input)) return false;
  return true;
}
