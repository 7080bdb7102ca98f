import { Agent, Meter, type Environment, type ModelProvider, type Principal } from '@claw/core';
import type { ClawDatabase } from '@claw/sqlite';
import { inMemoryNotes, notesSkill, type NotesBackend } from './notes-skill';

/** What the service's agent is built from. */
export interface ServiceAgentOptions {
  model: ModelProvider;
  db: ClawDatabase;
  principal: Principal;
  environment?: Environment;
  notes?: NotesBackend;
}

/**
 * The service's agent: the notes skill with read and write granted, every store in the SQLite database, usage
 * metered into its ledger. Writes are previewed in the sandbox and wait for approval in production.
 */
export function createAgent(options: ServiceAgentOptions): Agent {
  const { db } = options;
  return new Agent({
    model: options.model,
    skills: [notesSkill.configure({ backend: options.notes ?? inMemoryNotes() })],
    principal: options.principal,
    grants: ['notes:read', 'notes:write'],
    environment: options.environment ?? 'sandbox',
    meter: new Meter({ ledger: db.ledger, budgetStore: db.budgets }),
    audit: db.audit,
    approvalStore: db.approvals,
    runStateStore: db.runStates,
    budget: { maxTokens: 20_000, maxSteps: 8 },
  });
}
