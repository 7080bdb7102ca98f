/**
 * docs/stores.md: the same wiring on PostgreSQL. Type-checked in CI; it needs a server, so docs/snippets.test.ts
 * does not run it (packages/postgres/test runs these stores against a real one).
 */
import { Agent, Meter, type AgentOptions } from '@claw/core';
import { openClawPostgres } from '@claw/postgres';

export async function productionAgent(options: Pick<AgentOptions, 'model' | 'skills' | 'principal' | 'grants' | 'approvals'>) {
  const claw = await openClawPostgres({ connectionString: process.env.DATABASE_URL! }); // migrates schema "claw" once
  const agent = new Agent({
    ...options,
    environment: 'production',
    meter: new Meter({
      ledger: claw.ledger,
      budgetStore: claw.budget,
      budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 200_000 }],
    }),
    audit: claw.audit,
    approvalStore: claw.approvals,
    runStateStore: claw.runStates,
    memory: claw.memory,
  });
  return { agent, close: () => claw.close() };
}
