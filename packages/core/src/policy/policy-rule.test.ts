import { describe, expect, it } from 'vitest';
import { decidePolicy } from './decide-policy';
import { ruleApplies, type PolicyCall } from './policy-rule';

const call = (toolName: string): PolicyCall => ({ toolName, effect: 'read', environment: 'production', scopes: [], input: {}, tainted: false });

describe('PolicyRule.exceptTool', () => {
  it('applies a rule to every tool except those listed', () => {
    const rule = { exceptTool: ['email_search', 'email_read'], verdict: 'deny' as const };
    expect(ruleApplies(rule, call('email_send'))).toBe(true);
    expect(ruleApplies(rule, call('email_search'))).toBe(false);
    expect(ruleApplies({ exceptTool: 'email_read', verdict: 'deny' }, call('email_read'))).toBe(false);
  });

  it('makes an allow-list that wins over allow rules', () => {
    const rules = [{ tool: 'email_send', verdict: 'allow' as const }, { exceptTool: ['email_search'], verdict: 'deny' as const, reason: 'only search' }];
    expect(decidePolicy(call('email_send'), { rules })).toEqual({ type: 'deny', reason: 'only search' });
    expect(decidePolicy(call('email_search'), { rules }).type).toBe('allow');
  });
});
