/**
 * The `claw` command on a service's stores: a run of Priya's agent waits for approval in production, then the CLI
 * shows her usage to her manager, explains one record, refuses a peer, shows the request with its exact input,
 * approves it as Raj, verifies the audit chain and prints the tickets skill's permission review sheet.
 * Each `runClaw([...])` below is what `npx claw ...` does on the command line.
 *
 *   npx tsx examples/claw-cli.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, Meter } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { processIo, runClaw } from '@claw/cli';
import { openClawDatabase } from '@claw/sqlite';
import { InMemoryTickets, ticketsSkill } from './acme-skills-tickets/src';

const service = mkdtempSync(join(tmpdir(), 'claw-cli-example-'));
const io = { ...processIo(), cwd: service };
const claw = async (...args: string[]) => {
  console.log(`\n$ claw ${args.join(' ')}`);
  console.log(`(exit ${await runClaw(args, io)})`);
};

try {
  // The service: stores in .claw/claw.db, who manages whom in .claw/org.json.
  mkdirSync(join(service, '.claw'));
  writeFileSync(join(service, '.claw/org.json'), JSON.stringify({ people: { raj: {}, priya: { managerId: 'raj' }, sam: { managerId: 'raj' } } }));
  const db = openClawDatabase(join(service, '.claw/claw.db'));
  const agent = new Agent({
    model: new ScriptedModel([
      { toolCalls: [{ name: 'ticket_read', input: { id: 'T-42' } }] },
      { toolCalls: [{ name: 'ticket_close', input: { id: 'T-42', resolution: 'Fixed in release 4.2.' } }] },
    ]),
    skills: [ticketsSkill.configure({ backend: new InMemoryTickets([{ id: 'T-42', title: 'Checkout fails on Safari', body: 'The payment button does nothing.', requester: 'ola@customer.example', priority: 'high' }]) })],
    principal: { id: 'priya', managerId: 'raj' },
    grants: ['tickets:read', 'tickets:write'],
    environment: 'production',
    meter: new Meter({ ledger: db.ledger }),
    audit: db.audit,
    approvalStore: db.approvals,
  });
  const run = await agent.run('T-42 is fixed in release 4.2; close it.');
  const request = run.pending![0]!;
  const [record] = await db.ledger.query({ runId: run.runId });
  await db.close();
  console.log(`Priya's run: ${run.stopReason}, waiting for approval ${request.id}`);

  await claw('usage', '--as', 'raj', '--person', 'priya', '--by', 'skill');
  await claw('explain', record!.id, '--as', 'raj');
  await claw('usage', '--as', 'sam', '--person', 'priya');
  await claw('approvals', 'show', request.id);
  await claw('approvals', 'approve', request.id, '--as', 'raj', '--input-hash', request.inputHash);
  await claw('audit', 'verify');
  const tickets = fileURLToPath(new URL('./acme-skills-tickets', import.meta.url));
  writeFileSync(join(service, 'review.config.ts'), `import { InMemoryTickets } from ${JSON.stringify(join(tickets, 'src/index.ts'))};\nexport default { backend: new InMemoryTickets([]) };\n`);
  await claw('skills', 'describe', tickets, '--config', './review.config.ts', '--grants', 'tickets:read');
} finally {
  rmSync(service, { recursive: true, force: true });
}
