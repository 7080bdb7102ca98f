import { Agent, Meter, ModelError } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { openClawDatabase } from '../src';
import { openTempDatabase } from './temp-database';

// @claw/sqlite has no zod dependency, so the agent here runs without tools: metering, budgets, audit and memory
// are what this test is about.
describe('an Agent on @claw/sqlite stores (the README quick start)', () => {
  it('meters into the ledger, reserves from the budget store, audits, remembers, and survives a reopen', async () => {
    const { db, file, close } = openTempDatabase();
    try {
      await db.memory.remember({ text: 'Ticket T-7 is owned by the payments team', kind: 'fact', scope: 'principal:priya', source: { trust: 'user' } });
      const model = new ScriptedModel([
        { error: new ModelError({ provider: 'scripted', kind: 'server', status: 529, message: 'overloaded' }) },
        { text: 'T-7 is owned by the payments team.', usage: { inputTokens: 180, outputTokens: 9 } },
      ]);
      const agent = new Agent({
        model,
        principal: { id: 'priya', managerId: 'raj', team: 'payments' },
        meter: new Meter({ ledger: db.ledger, budgetStore: db.budgets, budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 100_000 }] }),
        audit: db.audit,
        memory: db.memory,
        runStateStore: db.runStates,
        approvalStore: db.approvals,
        budget: { maxTokens: 20_000, maxSteps: 4 },
        retry: { maxAttempts: 2, initialDelayMs: 1, jitter: false },
      });
      const result = await agent.run('Who owns ticket T-7?');
      expect(result.stopReason).toBe('final');
      expect(result.text).toContain('payments');
      // The recalled memory reached the prompt.
      expect(JSON.stringify(model.requests[1]!.messages)).toContain('owned by the payments team');

      const records = await db.ledger.query({ principalIds: ['priya'] });
      expect(records).toHaveLength(2);
      // The failed attempt is metered too, from the local estimate.
      expect(records.map((r) => [r.status, r.source, r.attempt])).toEqual([['error', 'estimated', 1], ['ok', 'reported', 2]]);
      expect(records.every((r) => r.outcome?.stopReason === 'final')).toBe(true);
      const [row] = await db.ledger.aggregate({ principalIds: ['priya'], groupBy: ['principal', 'stopReason'] });
      expect(row).toMatchObject({ key: { principal: 'priya', stopReason: 'final' }, records: 2, runs: 1 });
      expect((await db.budgets.usage('principal:priya', 86_400_000, Date.now())).tokens).toBeGreaterThan(0);
      expect((await db.audit.list({ runId: result.runId })).length).toBeGreaterThan(0);
      await db.close();

      const again = openClawDatabase(file);
      expect(await again.ledger.query({ runId: result.runId })).toHaveLength(2);
      expect(await again.audit.verify()).toMatchObject({ valid: true });
      await again.close();
    } finally {
      await close();
    }
  });
});
