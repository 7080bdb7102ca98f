/**
 * Deploy and watch: an agent plans and ships a release to staging, asks two people to approve production,
 * watches the production deploy fail its post-release health check (an alert fires), and rolls production back
 * to the last good release. Offline: an in-memory deploy target and a scripted model.
 * Run: npx tsx --conditions=claw-source examples/deploy-watch.ts
 */
import { Agent, InMemoryAuditLog, type GenerateRequest } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { modelFromEnv } from './support/model-from-env';
import { deploySkill, InMemoryTarget, type DeploySkillConfigInput } from '@claw/skills-deploy';

const V1 = '1f0c1e5a9d3b4c2e8f7a6b5c4d3e2f1a0b9c8d7e';
const V2 = '2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b';

// Production has a setting staging lacks: v2 passes everywhere but fails production's post-release check.
const target = new InMemoryTarget({
  commits: [
    { sha: V1, subject: 'Checkout: support gift cards', author: 'Priya' },
    { sha: V2, subject: 'Checkout: new payment provider', author: 'Sam', behaviour: { production: 'fails-after-switch' } },
  ],
  refs: { main: V2, 'release-41': V1 },
  live: { staging: V1, production: V1 },
  phaseMs: 40,
});

const config: DeploySkillConfigInput = {
  target,
  environments: [
    { name: 'staging', description: 'Pre-production, deployed on every merge' },
    { name: 'production', twoPersonRule: true, freezes: [{ type: 'weekly', days: ['sat', 'sun'], from: '00:00', until: '23:59', reason: 'no weekend deploys' }] },
  ],
  watch: { pollIntervalMs: 25, stuckAfterMs: 5_000, maxWatchMs: 10_000 },
  // A Wednesday, so the weekend freeze does not block this example whatever day you run it.
  now: () => Date.parse('2026-11-25T10:00:00Z'),
};

/** The JSON the last tool returned to the model (a scripted model reads ids from it, as a real one would). */
const lastOutput = (request: GenerateRequest) => {
  const tool = [...request.messages].reverse().find((m) => m.role === 'tool');
  // Deploy output reaches the model wrapped as untrusted content (commit subjects and logs are outside text).
  return JSON.parse((tool?.content ?? '{}').replace(/^<untrusted-content[^>]*>\n/, '').replace(/\n<\/untrusted-content>$/, ''));
};
const watchLast = (request: GenerateRequest) => ({
  toolCalls: [{ name: 'deploy_watch', input: { deploymentId: lastOutput(request).deployment.id } }],
});

// Scripted offline; set CLAW_MODEL (and its key) to let a real model drive the same tools.
const model = modelFromEnv(() => new ScriptedModel([
  { toolCalls: [{ name: 'deploy_plan', input: { environment: 'staging', ref: 'main' } }] },
  { toolCalls: [{ name: 'deploy_start', input: { environment: 'staging', ref: 'main', reason: 'ship the new payment provider' } }] },
  watchLast,
  { toolCalls: [{ name: 'deploy_start', input: { environment: 'production', ref: 'main', reason: 'staging is green' } }] },
  watchLast,
  { toolCalls: [{ name: 'deploy_rollback', input: { environment: 'production', reason: 'post-release health check failed' } }] },
  watchLast,
  (request) => ({
    text: `Staging runs main. Production failed its health check after the switch and was rolled back: ${lastOutput(request).outcome}.`,
  }),
]));

const audit = new InMemoryAuditLog();
const agent = new Agent({
  model,
  skills: [deploySkill.configure(config)],
  principal: { id: 'priya', managerId: 'raj', team: 'payments' },
  grants: ['deploy:read', 'deploy:staging', 'deploy:production'],
  environment: 'production',
  meter: false,
  audit,
  approvals: async (request) => {
    console.log(`   approval needed (${request.approversRequired} approver(s)) for ${request.toolName}: ${request.preview?.summary}`);
    console.log(`   bound to input hash ${request.inputHash.slice(0, 16)}…`);
    const approvers = request.approversRequired >= 2 ? ['raj', 'lee'] : ['raj'];
    return approvers.map((approver) => ({ decision: 'approve' as const, approver, inputHash: request.inputHash }));
  },
});

agent.on('tool:call', ({ call }) => console.log(`→ ${call.name} ${JSON.stringify(call.input)}`));
agent.on('tool:result', ({ result }) => {
  const output = result.output as { summary?: string; outcome?: string; deployment?: { id: string; status: string; reason?: string } } | undefined;
  const said = output?.summary ?? (output?.outcome ? `watch ended: ${output.outcome}${output.deployment?.reason ? ` (${output.deployment.reason})` : ''}` : undefined);
  console.log(`   ${result.status}${said ? `: ${said}` : output?.deployment ? `: ${output.deployment.id} ${output.deployment.status}` : ''}`);
});
agent.on('alert', (alert) => console.log(`   ALERT ${alert.severity} ${alert.kind}: ${alert.message}`));

const started = Date.now();
const result = await agent.run('Ship main to staging, and to production if staging is fine.');
console.log(`\n${result.text}`);
console.log(`live now: staging ${(await target.current('staging'))?.sha.slice(0, 7)}, production ${(await target.current('production'))?.sha.slice(0, 7)}`);

console.log('\nAudit trail:');
for (const entry of await audit.list()) {
  const { toolName, decision, ok, kind, approvers } = entry.data as { toolName?: string; decision?: string; ok?: boolean; kind?: string; approvers?: string[] };
  const outcome = ok === undefined ? undefined : ok ? 'ok' : 'failed';
  const detail = [toolName, kind, decision, outcome, approvers ? `by ${approvers.join(' and ')}` : undefined].filter(Boolean).join(' ');
  console.log(`   #${entry.seq} ${entry.type}${detail ? ` ${detail}` : ''}`);
}
console.log(`   chain: ${JSON.stringify(await audit.verify())}`);
console.log(`(${Date.now() - started} ms)`);
