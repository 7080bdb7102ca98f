/**
 * The mounting example of docs/console.md, type-checked (docs/snippets.test.ts). `sessions` and `buildAgentFor`
 * stand for the host service's own session store and agent factory.
 */
import { Agent, UsageReports, type Principal } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { createConsole, InMemoryOrgChart } from '@claw/console';
import { openClawDatabase } from '@claw/sqlite';

declare const sessions: { read(request: Request): Promise<{ userId: string } | undefined> };
const db = openClawDatabase(':memory:');
const directory = new InMemoryOrgChart({ raj: {}, priya: { managerId: 'raj', team: 'payments' } });
const buildAgentFor = (principal: Principal) => new Agent({ model: new ScriptedModel([{ text: 'ok' }]), principal, approvalStore: db.approvals, runStateStore: db.runStates, audit: db.audit });

const console = createConsole({
  authenticate: async (request) => (await sessions.read(request))?.userId ?? null,
  reports: new UsageReports({ ledger: db.ledger, directory, audit: db.audit }),
  ledger: db.ledger,
  directory,                 // a ConsoleDirectory: OrgDirectory + directReportsOf (+ teamOf, displayNameOf)
  approvals: db.approvals,
  runStates: db.runStates,
  audit: db.audit,
  agentFor: (principal, state) => buildAgentFor(principal),   // same skills and grants as the suspended run
  secret: process.env.CONSOLE_SECRET!,                          // ≥ 32 characters
});

export { console as mountedConsole };
