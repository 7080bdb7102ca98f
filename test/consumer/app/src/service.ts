/**
 * A small service written against the published packages, as a consumer outside this repository would: an agent
 * with a skill from another package, every store in one SQLite file, the scripted model (no API key, no test
 * runner installed), and a background job on the in-process scheduler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AbortedError, Agent, defineJob, defineTool, Meter, scheduleJobs, UsageReports, type UsageRecord } from '@claw/core';
import { FakeClock, ScriptedModel } from '@claw/core/testing';
import { openClawDatabase } from '@claw/sqlite';
import { createConsole, InMemoryOrgChart } from '@claw/console';
import { emailSkill, InMemoryMailbox } from '@claw/skills-email';
import { InMemoryTickets, ticketsSkill } from '@acme/skills-tickets';

// A tool of the service's own, with a zod schema from the consumer's zod.
const statusPage = defineTool({
  name: 'status_page',
  description: 'Read the public status page',
  input: z.object({ component: z.enum(['checkout', 'search']) }),
  scopes: ['status:read'],
  effect: 'read',
  execute: ({ component }) => ({ component, status: 'operational' }),
});

// Skill configurations are checked against the schema's input type (this function is only compiled, never called).
export function misconfigured() {
  // @ts-expect-error a misspelt and a mistyped field do not compile
  return emailSkill.configure({ mailbx: 'oops', categories: 42 });
}
const email = emailSkill.configure({ mailbox: new InMemoryMailbox({ address: 'priya@acme.example' }) });

const dir = mkdtempSync(join(tmpdir(), 'claw-consumer-run-'));
const db = openClawDatabase(join(dir, 'claw.db'));
try {
  const tickets = new InMemoryTickets([
    { id: 'T-42', title: 'Checkout fails on Safari', body: 'Since release 4.1.', requester: 'ola@customer.example' },
  ]);
  const model = new ScriptedModel([
    { toolCalls: [{ name: 'ticket_read', input: { id: 'T-42' } }, { name: 'status_page', input: { component: 'checkout' } }] },
    { text: 'T-42 is open; checkout is operational.' },
  ]);
  const usage: UsageRecord[] = [];
  const agent = new Agent({
    model,
    tools: [statusPage],
    skills: [ticketsSkill.configure({ backend: tickets }), email],
    principal: { id: 'priya', managerId: 'raj' },
    grants: ['tickets:read', 'status:read'],
    meter: new Meter({ ledger: db.ledger, budgetStore: db.budgets, budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 100_000 }] }),
    audit: db.audit,
    approvalStore: db.approvals,
    runStateStore: db.runStates,
    memory: db.memory,
  });
  agent.on('usage', (record) => usage.push(record));
  const result = await agent.run('What is the state of T-42, and is checkout up?');
  const recorded = await db.ledger.aggregate({ principalIds: ['priya'], groupBy: ['principal'] });
  const audit = await db.audit.verify();
  console.log(`answer: ${result.text} (${result.stopReason}, ${result.steps.length} steps)`);
  console.log(`tools: ${result.steps.flatMap((step) => step.toolResults.map((r) => `${r.call.name}=${r.status}`)).join(' ')}`);
  console.log(`usage: ${usage.length} records, ${recorded[0]?.totalTokens} tokens in the ledger, $${usage.reduce((sum, r) => sum + r.costUsd, 0).toFixed(6)}`);
  console.log(`audit chain valid: ${audit.valid}`);
  // The skill package's errors are core's classes: one @claw/core instance is shared through the peer dependency.
  const aborted = await tickets.read('T-42', { signal: AbortSignal.abort() }).catch((error: unknown) => error);
  console.log(`one @claw/core: ${aborted instanceof AbortedError}`);
  // The web console on the same stores, with the chart library it carries in its own package (no CDN, no uPlot install).
  const directory = new InMemoryOrgChart({ raj: {}, priya: { managerId: 'raj' } });
  const web = createConsole({
    authenticate: () => 'priya',
    reports: new UsageReports({ ledger: db.ledger, directory, audit: db.audit }),
    ledger: db.ledger, directory, approvals: db.approvals, runStates: db.runStates, audit: db.audit,
    secret: 'consumer-test-secret-of-32-chars!',
  });
  const chart = await web.fetch(new Request('http://localhost/assets/uplot.js'));
  const usagePage = await web.fetch(new Request('http://localhost/usage'));
  console.log(`console: uplot.js ${chart.status} ${(await chart.text()).includes('uPlot')}, usage page ${usagePage.status} ${(await usagePage.text()).includes('priya')}`);

  // A background job (croner inside the package): priya's 07:00 Berlin digest, on a fake clock, metered as `schedule`.
  const clock = new FakeClock('2026-12-03T05:59:00Z');
  const digest = defineJob({
    name: 'digest',
    cron: '0 7 * * *',
    timezone: 'Europe/Berlin',
    principals: [{ id: 'priya' }],
    run: (ctx) => new Agent({ model: new ScriptedModel([{ text: 'Nothing urgent.' }]), principal: ctx.principal!, meter: new Meter({ ledger: db.ledger }) }).run('Digest my morning', ctx.runOptions),
  });
  const jobs = scheduleJobs([digest], { clock });
  await clock.advance(60_000);
  const [status] = await jobs.status();
  await jobs.stop();
  const scheduled = await db.ledger.query({ principalIds: ['priya'] });
  console.log(`job: ${status?.job} ${status?.principals.map((p) => `${p.principalId}=${p.lastOutcome}`).join(' ')}, ${scheduled.filter((r) => r.trigger === 'schedule').length} scheduled call(s)`);
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
