import { Agent, Meter, type AgentOptions } from '@claw/core';
import { ScriptedModel, type ScriptStep } from '@claw/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClawPostgres, type ClawPostgres } from '../src/index';
import { uniqueSchema } from './helpers';
import { hasPostgresBinaries, startPostgresServer, type PostgresServer } from './postgres-server';

const principal = { id: 'priya', managerId: 'raj', team: 'support' };

describe.runIf(hasPostgresBinaries || !!process.env.CI)('an Agent on @claw/postgres stores', () => {
  let server: PostgresServer;
  const schema = uniqueSchema('agent');
  let replicaA: ClawPostgres;
  let replicaB: ClawPostgres;

  beforeAll(async () => {
    server = await startPostgresServer();
    // Two replicas of one service: separate pools on one schema.
    replicaA = await openClawPostgres({ connectionString: server.connectionString, schema });
    replicaB = await openClawPostgres({ connectionString: server.connectionString, schema });
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    await server?.stop();
  });

  const agentOn = (claw: ClawPostgres, steps: ScriptStep[]) =>
    new Agent({
      model: new ScriptedModel(steps),
      principal,
      grants: ['memory:read', 'memory:write'],
      environment: 'production',
      meter: new Meter({
        ledger: claw.ledger,
        budgetStore: claw.budget,
        budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 100_000 }],
      }),
      audit: claw.audit,
      // With a memory store the agent offers memory_save, a write tool: in production it waits for approval.
      memory: claw.memory,
      approvalStore: claw.approvals,
      runStateStore: claw.runStates,
    } satisfies AgentOptions);

  it('suspends on one replica, resumes on another, and every store holds a consistent record of the run', async () => {
    const fact = 'Priya wants weekly summaries of the kestrel cluster on Mondays';
    const first = agentOn(replicaA, [{ toolCalls: [{ id: 'c1', name: 'memory_save', input: { text: fact, kind: 'preference' } }] }]);
    const suspended = await first.run('remember that I want weekly kestrel summaries on Mondays');
    expect(suspended.stopReason).toBe('suspended');
    expect(await replicaA.memory.recall('kestrel summaries', { scopes: ['principal:priya'], kinds: ['preference'] })).toEqual([]);
    const request = suspended.pending![0]!;

    // Replica B sees the waiting request and the saved state through its own pool.
    expect((await replicaB.approvals.listPending('priya')).map((r) => r.id)).toEqual([request.id]);
    const state = await replicaB.runStates.load(suspended.runId);
    expect(state).toMatchObject({ runId: suspended.runId, pending: [{ status: 'awaiting_approval' }] });

    const second = agentOn(replicaB, [{ text: 'Saved.' }]);
    const resumed = await second.resume(state!, [{ decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash }]);
    expect(resumed.stopReason).toBe('final');
    expect(resumed.text).toBe('Saved.');
    // The approved call ran once, on replica B, and replica A reads what it wrote.
    const saved = await replicaA.memory.recall('kestrel summaries', { scopes: ['principal:priya'], kinds: ['preference'] });
    expect(saved.map((r) => [r.item.text, r.item.source.runId])).toEqual([[fact, suspended.runId]]);
    expect(await replicaA.runStates.load(suspended.runId)).toBeUndefined();
    expect(await replicaA.approvals.listPending()).toEqual([]);

    // Usage: one record per model call, the outcome attached, and the budget charged exactly what was recorded.
    const records = await replicaA.ledger.query({ runId: suspended.runId });
    expect(records).toHaveLength(2);
    expect(records.every((record) => record.outcome?.stopReason === 'final')).toBe(true);
    const charged = await replicaA.budget.usage('principal:priya', 86_400_000, Date.now());
    expect(charged.tokens).toBe(records.reduce((sum, record) => sum + record.totalTokens, 0));

    // Audit: both replicas appended to one chain, which verifies.
    const entries = await replicaB.audit.list({ runId: suspended.runId });
    expect(entries.map((entry) => entry.type)).toEqual(expect.arrayContaining(['run.start', 'approval.requested', 'tool.call', 'run.end']));
    expect(await replicaB.audit.verify()).toMatchObject({ valid: true });

  });
});
