import { writeFileSync } from 'node:fs';
import {
  Agent,
  Meter,
  defineSkill,
  defineTool,
  type ApprovalStore,
  type AuditLog,
  type RunResult,
  type RunState,
  type UsageLedger,
  type UsageRecord,
} from '@claw/core';
import { ScriptedModel, usageRecordFixture } from '@claw/core/testing';
import { z } from 'zod';

/** The org file the tests use: raj manages the payments team, the ceo manages raj and zoe. */
export const ORG = {
  people: {
    ceo: {},
    raj: { managerId: 'ceo', team: 'leads' },
    priya: { managerId: 'raj', team: 'payments' },
    sam: { managerId: 'raj', team: 'payments' },
    ana: { managerId: 'raj', team: 'payments' },
    li: { managerId: 'raj', team: 'payments' },
    kim: { managerId: 'raj', team: 'payments' },
    zoe: { managerId: 'ceo', team: 'design' },
  },
};

/** Writes the org file and returns its path. */
export function writeOrgFile(path: string): string {
  writeFileSync(path, JSON.stringify(ORG, null, 2));
  return path;
}

/** What the seed put in the stores, for assertions. */
export interface SeedFacts {
  /** A record of priya's agent run (real, metered by `Meter`). */
  priyaRecord: UsageRecord;
  /** The pending approval request of priya's production write. */
  requestId: string;
  inputHash: string;
  /** Records per person in the last day. */
  people: string[];
  /** Resumes priya's suspended run in a new agent on these stores (as her service would, after a decision). */
  resume(stores: { audit: AuditLog; approvals: ApprovalStore }): Promise<RunResult>;
}

const notes = defineSkill({
  name: 'notes',
  version: '1.0.0',
  description: 'Notes',
  instructions: 'Keep notes.',
  scopes: { 'notes:read': 'Search notes', 'notes:write': 'Add notes' },
  config: z.object({}),
  tools: [
    defineTool({ name: 'note_search', description: 'Search notes', input: z.object({ text: z.string() }), scopes: ['notes:read'], effect: 'read', execute: async () => ({ notes: [] }) }),
    defineTool({
      name: 'note_add',
      description: 'Add a note',
      input: z.object({ text: z.string() }),
      scopes: ['notes:write'],
      effect: 'write',
      preview: ({ text }) => ({ summary: `Would add the note "${text}"` }),
      execute: async ({ text }) => ({ added: text }),
    }),
  ],
});

/**
 * Seeds stores the way a service fills them: priya's agent runs in production (metered into the ledger, audited),
 * searches, then asks to add a note, which waits for approval. The rest of the payments team gets fixture records.
 */
export async function seedStores(stores: { ledger: UsageLedger; audit: AuditLog; approvals: ApprovalStore }, now = Date.now()): Promise<SeedFacts> {
  const agent = new Agent({
    model: new ScriptedModel([
      { toolCalls: [{ name: 'note_search', input: { text: 'release' } }] },
      { toolCalls: [{ name: 'note_add', input: { text: 'Release 4.2 shipped' } }] },
    ]),
    skills: [notes.configure({})],
    principal: { id: 'priya', managerId: 'raj', team: 'payments' },
    grants: ['notes:read', 'notes:write'],
    environment: 'production',
    meter: new Meter({ ledger: stores.ledger }),
    audit: stores.audit,
    approvalStore: stores.approvals,
  });
  const result = await agent.run('Search my notes for the release, then note that 4.2 shipped.');
  if (result.stopReason !== 'suspended') throw new Error(`seed run ended with ${result.stopReason}`);
  const request = result.pending![0]!;
  const [priyaRecord] = await stores.ledger.query({ principalIds: ['priya'] });
  const team = ['sam', 'ana', 'li', 'kim'];
  // Earlier today (UTC), whatever the hour: team usage is suppressed per whole day, and records split across two
  // days would make groups of fewer people than the tests expect.
  const elapsed = now - Math.floor(now / 86_400_000) * 86_400_000;
  const earlier = (fraction: number, i: number) => now - elapsed + Math.floor(elapsed * fraction) + i;
  const fixtures = team.flatMap((person, i) => [
    usageRecordFixture({ runId: `${person}-run`, principalId: person, team: 'payments', at: earlier(0.5, i), skills: ['email'], trigger: 'user', inputTokens: 200, outputTokens: 50 }),
    usageRecordFixture({ runId: `${person}-dream`, principalId: person, team: 'payments', at: earlier(0.25, i), skills: ['memory'], trigger: 'dream', inputTokens: 80, outputTokens: 20 }),
  ]);
  await stores.ledger.append(fixtures);
  const state = JSON.parse(JSON.stringify(result.state)) as RunState;
  const resume = (resumed: { audit: AuditLog; approvals: ApprovalStore }) =>
    new Agent({
      model: new ScriptedModel([{ text: 'Noted: Release 4.2 shipped.' }]),
      skills: [notes.configure({})],
      principal: { id: 'priya', managerId: 'raj', team: 'payments' },
      grants: ['notes:read', 'notes:write'],
      environment: 'production',
      audit: resumed.audit,
      approvalStore: resumed.approvals,
    }).resume(state);
  return { priyaRecord: priyaRecord!, requestId: request.id, inputHash: request.inputHash, people: ['priya', ...team], resume };
}
