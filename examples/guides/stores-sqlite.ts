/**
 * docs/stores.md: every store in one SQLite file. A production run suspends for approval; the file is closed
 * (as if the process ended), reopened, and the run resumes from the saved state.
 * Run: npx tsx --conditions=claw-source examples/guides/stores-sqlite.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Agent, defineTool, Meter, type ModelProvider } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { openClawDatabase, type ClawDatabase } from '@claw/sqlite';

const pauseAlerts = defineTool({
  name: 'alerts_pause',
  description: 'Pause the alerts of a service for some minutes',
  input: z.object({ service: z.string(), minutes: z.number().int().min(1).max(240) }),
  scopes: ['alerts:write'],
  effect: 'write',
  preview: ({ service, minutes }) => ({ summary: `would pause alerts of ${service} for ${minutes} min` }),
  execute: ({ service, minutes }) => ({ paused: service, until: Date.now() + minutes * 60_000 }),
});

/** One agent wired to every store of the database. */
function agentOn(db: ClawDatabase, model: ModelProvider): Agent {
  return new Agent({
    model,
    tools: [pauseAlerts],
    principal: { id: 'priya', managerId: 'raj' },
    grants: ['alerts:write'],
    environment: 'production',
    meter: new Meter({
      ledger: db.ledger,
      budgetStore: db.budgets,
      budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 200_000 }],
    }),
    audit: db.audit,
    approvalStore: db.approvals,
    runStateStore: db.runStates,
    memory: db.memory,
  });
}

const dir = mkdtempSync(join(tmpdir(), 'claw-docs-'));
const file = join(dir, 'claw.db');

let db = openClawDatabase(file); // creates the file and its tables on first use
const suspended = await agentOn(db, new ScriptedModel([{ toolCalls: [{ name: 'alerts_pause', input: { service: 'billing', minutes: 30 } }] }])).run(
  'Pause the billing alerts for 30 minutes while we migrate.',
);
const request = suspended.pending![0]!;
console.log(`${suspended.stopReason}: ${request.preview?.summary}`);
await db.close();

// Later, in another process: reopen the file, load the run, resume it with the approver's decision.
db = openClawDatabase(file);
const state = await db.runStates.load(suspended.runId);
const resumed = await agentOn(db, new ScriptedModel([{ text: 'Billing alerts are paused for 30 minutes.' }])).resume(state!, [
  { decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash },
]);
console.log(`${resumed.stopReason}: ${resumed.text}`);

const records = await db.ledger.query({ runId: suspended.runId });
console.log(`usage records: ${records.length}, audit chain valid: ${(await db.audit.verify()).valid}`);
await db.close();
rmSync(dir, { recursive: true, force: true });
// suspended: would pause alerts of billing for 30 min
// final: Billing alerts are paused for 30 minutes.
// usage records: 2, audit chain valid: true
