import type { ToolContext } from '@claw/core';
import { emailSkill, InMemoryMailbox, type EmailSkillConfigInput, type Mailbox } from '../src';
import { FIXTURE_DIR } from './fixtures';

/** The triage setup used by the tool and agent tests (and mirrored in examples/inbox-triage.ts). */
export function triageConfig(mailbox: Mailbox, overrides: Partial<EmailSkillConfigInput> = {}): EmailSkillConfigInput {
  return {
    mailbox,
    internalDomains: ['acme.example'],
    categories: [
      { name: 'Newsletters', folder: 'Newsletters', priority: 'low', description: 'Mailing lists and digests' },
      { name: 'Notifications', folder: 'Notifications', priority: 'low', description: 'Automated notifications from tools' },
      { name: 'Receipts', folder: 'Receipts', priority: 'low', description: 'Invoices and receipts' },
      { name: 'Action', priority: 'high', description: 'A person needs something from the user' },
      { name: 'Suspicious', folder: 'Junk', priority: 'normal', description: 'Phishing and social engineering' },
    ],
    rules: [
      { name: 'Tool notifications', from: ['github.example'], category: 'Notifications' },
      { name: 'Mailing lists', hasHeader: ['list-unsubscribe', 'list-id'], category: 'Newsletters' },
      { name: 'Receipts', subjectContains: ['receipt'], category: 'Receipts' },
      { name: 'Manager', from: ['raj@acme.example'], category: 'Action', priority: 'urgent' },
    ],
    ...overrides,
  };
}

/** An in-memory inbox holding the seed messages. */
export function seededInbox(): Promise<InMemoryMailbox> {
  return InMemoryMailbox.fromEmlDirectory(FIXTURE_DIR, { address: 'Priya Sharma <priya@acme.example>' });
}

/** A hand-built tool context, as the agent would pass it; raised alerts are collected. */
export function toolContext(overrides: Partial<ToolContext> = {}): ToolContext & { alerts: unknown[] } {
  const alerts: unknown[] = [];
  return {
    signal: new AbortController().signal,
    principal: { id: 'priya', managerId: 'raj' },
    environment: 'production',
    runId: 'run-test',
    toolCallId: 'call-test',
    trigger: 'user',
    alert: (alert) => void alerts.push(alert),
    alerts,
    ...overrides,
  };
}

/** Configures the skill and returns a runner per tool that validates input the way the agent does. */
export function emailTools(config: EmailSkillConfigInput) {
  const skill = emailSkill.configure(config);
  const find = (name: string) => {
    const tool = skill.tools.find((t) => t.name === name);
    if (!tool) throw new Error(`no tool ${name}`);
    return tool;
  };
  return {
    skill,
    tool: find,
    execute: async (name: string, input: unknown, ctx: ToolContext = toolContext()) => find(name).execute(find(name).input.parse(input), ctx),
    preview: async (name: string, input: unknown, ctx: ToolContext = toolContext()) => find(name).preview!(find(name).input.parse(input), ctx),
  };
}
