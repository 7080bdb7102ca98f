/**
 * Approvals: the same automation in the sandbox (previews only), then in production where sending waits for a
 * human, the run suspends, and a later process resumes it with a decision bound to exactly what was reviewed.
 * Run: npx tsx --conditions=claw-source examples/approvals.ts
 */
import { z } from 'zod';
import { Agent, defineTool, InMemoryAuditLog, InMemoryRunStateStore, type ApprovalRequest } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { modelFromEnv } from './support/model-from-env';

const outbox: { to: string; subject: string }[] = [];
const sendEmail = defineTool({
  name: 'email_send',
  description: 'Send an email',
  input: z.object({ to: z.string().email(), subject: z.string(), body: z.string() }),
  scopes: ['email:send'],
  effect: 'external',
  execute: ({ to, subject }) => {
    outbox.push({ to, subject });
    return { sent: true };
  },
  preview: ({ to, subject }) => ({ summary: `would send "${subject}" to ${to}` }),
});

const script = () =>
  modelFromEnv(
    () =>
      new ScriptedModel([
        { toolCalls: [{ name: 'email_send', input: { to: 'raj@acme.test', subject: 'Weekly status', body: 'All green.' } }] },
        { text: 'Sent the weekly status to Raj.' },
      ]),
  );
const base = { tools: [sendEmail], principal: { id: 'priya', managerId: 'raj' }, grants: ['email:send'] };

console.log('1. Sandbox: nothing is sent, the planned effect is listed.');
const sandbox = await new Agent({ ...base, model: script(), environment: 'sandbox' }).run('Send Raj the weekly status');
for (const action of sandbox.actions) console.log(`   ${action.mode}: ${action.summary}`);
console.log(`   outbox: ${outbox.length} messages`);

console.log('\n2. Production without an approval handler: the run suspends and is saved.');
const audit = new InMemoryAuditLog();
const states = new InMemoryRunStateStore();
const production = new Agent({ ...base, model: script(), environment: 'production', audit, runStateStore: states });
const suspended = await production.run('Send Raj the weekly status');
const request: ApprovalRequest = suspended.pending![0]!;
console.log(`   stop: ${suspended.stopReason}; waiting for ${request.toolName}: ${request.preview?.summary}`);
console.log(`   bound to input hash ${request.inputHash.slice(0, 16)}…, expires ${new Date(request.expiresAt).toISOString()}`);

console.log('\n3. Later, another process loads the state and resumes with Raj\'s decision.');
const state = (await states.load(suspended.runId))!;
const resumedAgent = new Agent({ ...base, model: modelFromEnv(() => new ScriptedModel([{ text: 'Sent the weekly status to Raj.' }])), environment: 'production', audit, runStateStore: states });
const resumed = await resumedAgent.resume(state, [{ decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash }]);
console.log(`   stop: ${resumed.stopReason}; answer: ${resumed.text}`);
console.log(`   outbox: ${outbox.map((m) => `${m.subject} → ${m.to}`).join(', ')}`);

console.log('\nAudit trail:');
for (const entry of await audit.list()) console.log(`   #${entry.seq} ${entry.type} ${JSON.stringify(entry.data).slice(0, 90)}`);
console.log(`   chain: ${JSON.stringify(await audit.verify())}`);
