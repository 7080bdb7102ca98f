/**
 * Slack digest: summarise a busy channel and post the digest to another channel, once a person approves it in
 * Slack. Offline by default: the example starts a local stand-in of Slack's Web API, seeds a busy #incidents,
 * and plays Raj clicking "Approve". The agent may read Slack and write only to #ops-digest.
 *
 * Run: npx tsx --conditions=claw-source examples/slack-digest.ts
 * Real workspace: SLACK_BOT_TOKEN=xoxb-… SLACK_APPROVERS=U0123:raj,U0456:sam [SLACK_DIGEST_SOURCE=#incidents]
 *   [SLACK_DIGEST_TARGET=#ops-digest] [SLACK_APPROVALS_CHANNEL=#approvals] — approvers react with ✅ or ❌.
 * Real model: CLAW_MODEL=openai:gpt-4o-mini (see examples/support/model-from-env.ts).
 */
import { Agent, InMemoryAuditLog, type GenerateRequest } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import {
  APPROVE_ACTION_ID,
  createSlackClient,
  slackApprovals,
  slackPolicyRules,
  slackSkill,
  type ChannelDigest,
} from '@claw/skills-slack';
import { modelFromEnv } from './support/model-from-env';
import { DEMO_PEOPLE, startDemoSlack, type SlackStandIn } from './support/slack-stand-in';

const token = process.env.SLACK_BOT_TOKEN;
const source = process.env.SLACK_DIGEST_SOURCE ?? '#incidents';
const target = process.env.SLACK_DIGEST_TARGET ?? '#ops-digest';
const approvalsChannel = process.env.SLACK_APPROVALS_CHANNEL ?? '#approvals';

let standIn: SlackStandIn | undefined;
if (!token) standIn = await startDemoSlack();
const client = createSlackClient(
  standIn ? { token: standIn.token, slackApiUrl: standIn.url } : { token: token! },
);
const approvers = standIn ? { [DEMO_PEOPLE.raj.id]: 'raj' } : Object.fromEntries((process.env.SLACK_APPROVERS ?? '').split(',').filter(Boolean).map((pair) => pair.split(':') as [string, string]));
const approvals = slackApprovals({ client, channel: approvalsChannel, approvers, timeoutMs: standIn ? 20_000 : 10 * 60_000, pollIntervalMs: standIn ? 100 : 3000 });

if (standIn) {
  const slack = standIn;
  // Raj, in Slack: reads the request a moment after it appears, and clicks Approve.
  slack.onMessage((channel, message) => {
    if (channel.name !== approvalsChannel.slice(1)) return;
    const click = setInterval(() => {
      if (!approvals.pendingRequestIds().length) return;
      clearInterval(click);
      const answer = approvals.handleInteraction(slack.clickButton(approvalsChannel, message.ts, APPROVE_ACTION_ID, DEMO_PEOPLE.raj.id));
      console.log(`   Raj clicks Approve in ${approvalsChannel}: ${answer.status}`);
    }, 200);
  });
}

/** The offline model: asks for the digest, then writes it from the tool result. */
function digestFrom(request: GenerateRequest): ChannelDigest {
  const tool = request.messages.findLast((m) => m.role === 'tool');
  const json = tool!.content.slice(tool!.content.indexOf('\n') + 1, tool!.content.lastIndexOf('\n'));
  return JSON.parse(json) as ChannelDigest;
}
const scripted = () =>
  new ScriptedModel([
    { toolCalls: [{ name: 'slack_summarize_channel', input: { channel: source, since: '24h' } }] },
    (request) => {
      const d = digestFrom(request);
      const thread = d.busiestThreads[0];
      const lines = [
        `*Digest of #${d.channel.name} (last 24 h)*: ${d.messageCount} messages from ${d.participants.length} people.`,
        ...(thread ? [`• Busiest thread: "${thread.text}" (${thread.replyCount} replies); latest: "${thread.replies?.at(-1)?.text ?? ''}"`] : []),
        `• Most active: ${d.participants.slice(0, 3).map((p) => `${p.userName ?? p.user} (${p.messages})`).join(', ')}`,
      ];
      return { toolCalls: [{ name: 'slack_post_message', input: { channel: target, text: lines.join('\n') } }] };
    },
    { text: `Posted the digest of ${source} to ${target}.` },
  ]);

const audit = new InMemoryAuditLog();
const agent = new Agent({
  model: modelFromEnv(scripted),
  skills: [slackSkill.configure({ client })],
  principal: { id: 'priya', managerId: 'raj', displayName: 'Priya Shah' },
  grants: ['slack:read', `slack:write:${target}`],
  environment: 'production',
  approvals,
  policy: { rules: slackPolicyRules() },
  audit,
  budget: { maxTokens: 60_000, maxSteps: 6 },
});

agent.on('tool:call', ({ call }) => console.log(`→ ${call.name}(${JSON.stringify(call.input).slice(0, 100)})`));
agent.on('approval', (e) => {
  if (e.outcome === 'pending') return;
  console.log(`   approval ${e.outcome}${e.approvers.length ? ` by ${e.approvers.join(', ')}` : ''}${e.reason ? `: ${e.reason}` : ''}`);
});
agent.on('tool:result', ({ result }) => {
  if (result.call.name === 'slack_summarize_channel' && result.status === 'ok') {
    const d = result.output as ChannelDigest;
    console.log(`   read ${d.messageCount} messages (${d.replyCount} replies) from ${d.participants.length} people since ${d.since}`);
  } else console.log(`   ${result.status}${result.isError ? `: ${result.content.slice(0, 160)}` : ''}`);
});
agent.on('alert', (alert) => console.log(`   alert [${alert.severity}] ${alert.kind}`));

console.log(`Summarising ${source} and posting the digest to ${target} after approval in ${approvalsChannel}${standIn ? ' (local Slack stand-in)' : ''}.\n`);
const result = await agent.run(`Summarise what happened in ${source} over the last 24 hours and post a short digest to ${target}.`);

console.log(`\nstop: ${result.stopReason}; answer: ${result.text}`);
if (standIn) {
  const digest = standIn.messages(target).at(-1);
  console.log(`\n${target} now shows:\n${digest ? digest.text.replace(/^/gm, '   ') : '   (nothing)'}`);
  const request = standIn.messages(approvalsChannel).at(-1);
  console.log(`\nThe request in ${approvalsChannel} ends with: ${JSON.stringify(request?.blocks?.at(-1)).match(/"text":"([^"]+)"\}\]\}$/)?.[1] ?? '?'}`);
}
console.log(`audit: ${(await audit.list()).length} entries, chain ${JSON.stringify(await audit.verify())}`);
console.log(`usage: ${result.usage.totalTokens} tokens over ${result.usage.calls} model calls`);
await standIn?.close();
