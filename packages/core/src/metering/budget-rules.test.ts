import { describe, expect, it } from 'vitest';
import { limitsForCall, type CallAttribution } from './budget-rules';

const call = (principal: string, trigger: CallAttribution['trigger']): CallAttribution => ({
  runId: 'r', step: 1, attempt: 1, principal: { id: principal }, trigger, skills: [],
});

describe('budget rules by trigger', () => {
  it('`per: trigger` is one counter for everyone; `triggers` on a principal rule gives each person their own', () => {
    const rules = [
      { per: 'trigger' as const, match: 'heartbeat', windowMs: 1000, maxTokens: 100 },
      { per: 'principal' as const, triggers: ['heartbeat' as const], windowMs: 1000, maxTokens: 10 },
      { per: 'principal' as const, windowMs: 1000, maxTokens: 50 },
    ];
    expect(limitsForCall(rules, call('priya', 'heartbeat')).map((l) => l.key)).toEqual([
      'trigger:heartbeat', 'principal:priya@triggers:heartbeat', 'principal:priya',
    ]);
    expect(limitsForCall(rules, call('raj', 'heartbeat')).map((l) => l.key)).toEqual([
      'trigger:heartbeat', 'principal:raj@triggers:heartbeat', 'principal:raj',
    ]);
    // A person's own (user-triggered) calls are not limited by the heartbeat rules.
    expect(limitsForCall(rules, call('priya', 'user')).map((l) => l.key)).toEqual(['principal:priya']);
  });
});
