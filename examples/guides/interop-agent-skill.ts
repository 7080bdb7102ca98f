/** docs/interop.md: a SKILL.md folder loaded as a Claw skill; its allowed-tools hold even with email:* granted. */
import { fileURLToPath } from 'node:url';
import { Agent, defineTool } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { loadAgentSkill, readAgentSkill } from '@claw/mcp';
import { z } from 'zod';

const sent: string[] = [];
const emailSend = defineTool({
  name: 'email_send',
  description: 'Send an email',
  input: z.object({ to: z.string(), body: z.string() }),
  scopes: ['email:send'],
  effect: 'external',
  execute: ({ to }) => void sent.push(to),
});

const folder = fileURLToPath(new URL('../fixtures/skills/weekly-status', import.meta.url));
const weeklyStatus = await loadAgentSkill(folder);
console.log(`${weeklyStatus.name} v${weeklyStatus.version}, files: ${(await readAgentSkill(folder)).files.length}`);

const agent = new Agent({
  model: new ScriptedModel([
    { toolCalls: [{ name: 'email_send', input: { to: 'team@acme.example', body: 'Shipped: billing v2' } }] },
    { text: 'I saved nothing: sending is not part of this skill.' },
  ]),
  skills: [weeklyStatus],
  tools: [emailSend],
  principal: { id: 'priya', managerId: 'raj' },
  grants: ['email:*'],
  environment: 'production',
  approvals: async () => ({ decision: 'approve', approver: 'raj' }),
});
const result = await agent.run('Send my weekly status to the team');
const [send] = result.steps[0]!.toolResults;
console.log(`${send!.call.name}: ${send!.status} ${send!.errorCode}; sent ${sent.length}`);
