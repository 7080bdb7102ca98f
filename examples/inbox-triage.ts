/**
 * Inbox triage: an agent sorts an inbox into categories — configured rules first, its own judgement (with a reason)
 * for the rest. It runs twice: in the sandbox, where every change is only previewed ("would move 1 message to
 * Newsletters: …"), then in production, where a person approves and the messages really move.
 *
 * Offline by default: an in-memory inbox seeded from examples/fixtures/mail and a scripted model; no network, no key.
 * Run: npx tsx --conditions=claw-source examples/inbox-triage.ts
 *
 * Real mailbox: CLAW_IMAP_URL=imaps://user:password@imap.example.com [CLAW_SMTP_URL=smtps://…] [CLAW_MAIL_ADDRESS=me@example.com]
 *   The sandbox run only reads. The production run moves and flags mail, so it runs only with CLAW_TRIAGE_APPLY=1.
 * Real model: CLAW_MODEL=openai:gpt-4o-mini (see examples/support/model-from-env.ts).
 */
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Agent, Meter, type ApprovalRequest, type Environment, type GenerateRequest, type ModelProvider, type UsageRecord } from '@claw/core';
import { openClawDatabase } from '@claw/sqlite';
import { ScriptedModel } from '@claw/core/testing';
import {
  emailSkill,
  imapSmtpMailboxFromUrls,
  InMemoryMailbox,
  type EmailSkillConfigInput,
  type Mailbox,
  type MessageView,
  type TriageOutcome,
} from '@claw/skills-email';

// The provider SDKs load only when a real model is asked for, so the offline run starts fast.
const modelFromEnv: (fallback: () => ModelProvider) => ModelProvider = process.env.CLAW_MODEL
  ? (await import('./support/model-from-env')).modelFromEnv
  : (fallback) => fallback();

const imapUrl = process.env.CLAW_IMAP_URL;
const mailbox: Mailbox = imapUrl
  ? imapSmtpMailboxFromUrls({
      imap: imapUrl,
      ...(process.env.CLAW_SMTP_URL ? { smtp: process.env.CLAW_SMTP_URL } : {}),
      ...(process.env.CLAW_MAIL_ADDRESS ? { address: process.env.CLAW_MAIL_ADDRESS } : {}),
    })
  : await InMemoryMailbox.fromEmlDirectory(fileURLToPath(new URL('./fixtures/mail/', import.meta.url)), {
      address: 'Priya Sharma <priya@acme.example>',
    });

const config: EmailSkillConfigInput = {
  mailbox,
  internalDomains: ['acme.example'],
  categories: [
    { name: 'Newsletters', folder: 'Newsletters', priority: 'low', description: 'Mailing lists and digests' },
    { name: 'Notifications', folder: 'Notifications', priority: 'low', description: 'Automated notifications from tools' },
    { name: 'Receipts', folder: 'Receipts', priority: 'low', description: 'Invoices and receipts' },
    { name: 'Action', priority: 'high', description: 'A person needs something from me' },
    { name: 'Suspicious', folder: 'Junk', priority: 'normal', description: 'Phishing and social engineering' },
  ],
  rules: [
    { name: 'Tool notifications', from: ['github.example', 'github.com'], category: 'Notifications' },
    { name: 'Mailing lists', hasHeader: ['list-unsubscribe', 'list-id'], category: 'Newsletters' },
    { name: 'Receipts', subjectContains: ['receipt'], category: 'Receipts' },
    { name: 'Manager', from: ['raj@acme.example'], category: 'Action', priority: 'urgent' },
  ],
};

/** The offline model's judgement for messages no rule covers: a few plain heuristics over what it was shown. */
function classify(request: GenerateRequest) {
  const tool = request.messages.findLast((m) => m.role === 'tool')!;
  const { messages } = JSON.parse(tool.content.slice(tool.content.indexOf('\n') + 1, tool.content.lastIndexOf('\n'))) as { messages: MessageView[] };
  return messages.flatMap((m) => {
    if (m.bulk) return [];
    if (/action required|verify your|password|migration/i.test(m.subject) && !m.from.endsWith('@acme.example>')) {
      return [{ id: m.id, category: 'Suspicious', reason: 'Urgent-sounding request from an outside look-alike sender' }];
    }
    if (/\?|question|invoice|can you|need/i.test(m.subject)) {
      return [{ id: m.id, category: 'Action', reason: 'Someone asks for a reply or a fix' }];
    }
    return [];
  });
}

const script = () =>
  new ScriptedModel([
    { toolCalls: [{ name: 'email_search', input: { limit: 20 } }] },
    (request) => ({ toolCalls: [{ name: 'email_triage', input: { limit: 20, classifications: classify(request) } }] }),
    { text: 'Your inbox is triaged: newsletters, notifications and receipts are filed, requests for you are flagged, and one suspicious message went to Junk.' },
  ]);

/** Plays Raj reviewing the request: shows what he sees, and approves it. */
async function raj(request: ApprovalRequest) {
  console.log(`   approval asked for ${request.toolName}: ${request.reason}`);
  console.log(`   Raj reads the preview: ${request.preview?.summary}`);
  return { decision: 'approve' as const, approver: 'raj' };
}

// Usage, audit entries and approvals go to a SQLite file under .claw/, so they survive between runs of the example.
const dbFile = process.env['CLAW_DB'] ?? fileURLToPath(new URL('../.claw/claw.db', import.meta.url));
if (dbFile !== ':memory:') mkdirSync(dirname(dbFile), { recursive: true });
const db = openClawDatabase(dbFile);
const meter = new Meter({ ledger: db.ledger, budgetStore: db.budgets, budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 1_000_000 }] });

async function triage(environment: Environment) {
  const agent = new Agent({
    meter,
    audit: db.audit,
    approvalStore: db.approvals,
    model: modelFromEnv(script),
    skills: [emailSkill.configure(config)],
    principal: { id: 'priya', managerId: 'raj', displayName: 'Priya Sharma' },
    grants: ['email:read', 'email:organize'],
    environment,
    approvals: raj,
    budget: { maxTokens: 40_000, maxSteps: 6 },
  });
  const usage: UsageRecord[] = [];
  agent.on('usage', (record) => void usage.push(record));
  agent.on('tool:call', ({ call }) => console.log(`→ ${call.name}(${JSON.stringify(call.input).slice(0, 110)}${JSON.stringify(call.input).length > 110 ? '…' : ''})`));
  agent.on('alert', (alert) => console.log(`   alert [${alert.severity}] ${alert.kind}: ${alert.message.slice(0, 140)}`));

  console.log(`\n=== ${environment} ===`);
  const result = await agent.run('Triage my inbox.');
  for (const action of result.actions) {
    console.log(`action: ${action.toolName} ${action.mode}${action.summary ? `: ${action.summary}` : ''}`);
  }
  const report = result.steps.flatMap((s) => s.toolResults).find((r) => r.call.name === 'email_triage' && r.status === 'ok')?.output as TriageOutcome | undefined;
  for (const item of report?.items ?? []) {
    const decided = item.category ? `${item.category} / ${item.priority} by ${item.source}` : 'left alone';
    console.log(`   ${item.subject.slice(0, 44).padEnd(44)}  ${decided}: ${item.reason}`);
  }
  const inbox = await mailbox.search({ folder: 'INBOX', limit: 1 });
  console.log(`answer: ${result.text}\nINBOX now holds ${inbox.total} messages (stop: ${result.stopReason})`);
  for (const r of usage) {
    console.log(`usage: step ${r.step} ${r.inputTokens} in + ${r.outputTokens} out tokens (${r.source}, ${r.encoding}, formula ${r.formulaVersion}, $${r.costUsd.toFixed(6)})`);
  }
  const last = usage.at(-1);
  if (last) console.log(`usage record: ${JSON.stringify({ id: last.id, principalId: last.principalId, skills: last.skills, trigger: last.trigger, estimate: last.estimate, outcome: last.outcome })}`);
}

// Sandbox first: the triage call returns its preview and nothing changes. In production the triage is a write, so a
// person approves it after reading the same preview.
await triage('sandbox');
if (!imapUrl || process.env.CLAW_TRIAGE_APPLY === '1') await triage('production');
else console.log('\nReal mailbox: set CLAW_TRIAGE_APPLY=1 to run the production triage that moves and flags mail.');
await mailbox.close();
const kept = await db.ledger.query({ principalIds: ['priya'] });
console.log(`\n${db.path}: ${kept.length} usage records from ${new Set(kept.map((r) => r.runId)).size} runs so far (they add up as you run this again); audit chain ${JSON.stringify(await db.audit.verify())}`);
db.close();
