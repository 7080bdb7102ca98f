import type { Principal, Trigger } from '../policy/principal';
import type { BudgetLimit } from './budget-store';

/**
 * A budget over a rolling window, applied per principal, team, skill or trigger (each one separately), or
 * globally. `match` narrows it to one id (e.g. `per: 'trigger', match: 'dream'` gives dreaming its own budget,
 * shared by everyone). `triggers` counts only calls made under those triggers, so
 * `{ per: 'principal', triggers: ['heartbeat'] }` caps each person's heartbeat spending separately.
 */
export interface BudgetRule {
  per: 'principal' | 'team' | 'skill' | 'trigger' | 'global';
  match?: string;
  /** Only calls made under one of these triggers count against (and are limited by) this rule. */
  triggers?: readonly Trigger[];
  windowMs: number;
  maxTokens?: number;
  maxCostUsd?: number;
}

/** Who and what a model call is for: the attribution carried by its usage record. */
export interface CallAttribution {
  runId: string;
  step: number;
  attempt: number;
  principal: Principal;
  trigger: Trigger;
  /** Skills whose tools are offered in this call. */
  skills: readonly string[];
  /** Tools called in this step, filled in after the model answers when known. */
  tools?: readonly string[];
}

/** The concrete limits a call must fit under, from the configured rules. */
export function limitsForCall(rules: readonly BudgetRule[], attribution: CallAttribution): BudgetLimit[] {
  const limits: BudgetLimit[] = [];
  const add = (rule: BudgetRule, id: string) => {
    if (rule.match !== undefined && rule.match !== id) return;
    if (rule.triggers !== undefined && !rule.triggers.includes(attribution.trigger)) return;
    // A trigger-filtered rule keeps its own counter: it must not share one with an unfiltered rule on the same id.
    const filter = rule.triggers === undefined ? '' : `@triggers:${[...rule.triggers].sort().join(',')}`;
    limits.push({
      key: `${rule.per}:${id}${filter}`,
      windowMs: rule.windowMs,
      ...(rule.maxTokens !== undefined ? { maxTokens: rule.maxTokens } : {}),
      ...(rule.maxCostUsd !== undefined ? { maxCostUsd: rule.maxCostUsd } : {}),
    });
  };
  for (const rule of rules) {
    switch (rule.per) {
      case 'principal':
        add(rule, attribution.principal.id);
        break;
      case 'team':
        if (attribution.principal.team) add(rule, attribution.principal.team);
        break;
      case 'skill':
        for (const skill of attribution.skills) add(rule, skill);
        break;
      case 'trigger':
        add(rule, attribution.trigger);
        break;
      case 'global':
        add(rule, 'all');
        break;
    }
  }
  return limits;
}
