/**
 * A console over a real SQLite database seeded like a small company: 20 people in a 3-level org (a director,
 * two managers, their reports), 30 days of usage each, and an agent that sends email through the in-memory
 * mailbox of @claw/skills-email once a person approves it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, UsageReports, type RunResult, type UsageRecord } from '@claw/core';
import { ScriptedModel, usageRecordFixture } from '@claw/core/testing';
import { emailSkill, InMemoryMailbox } from '@claw/skills-email';
import { openClawDatabase, type ClawDatabase } from '@claw/sqlite';
import { createConsole, InMemoryOrgChart, type ClawConsole, type OrgChartPerson } from '../../src';

const DAY = 86_400_000;

/** Raj's reports (team payments) and Mei's (team platform); Dana leads both managers. */
export const PAYMENTS = ['priya', 'arjun', 'sofia', 'tom', 'lena', 'omar', 'kim', 'zoe', 'ben'];
export const PLATFORM = ['sam', 'ana', 'leo', 'ivy', 'max', 'eva', 'noah', 'ruth'];

function orgChart(): Record<string, OrgChartPerson> {
  const people: Record<string, OrgChartPerson> = {
    dana: { team: 'leads', name: 'Dana Okafor' },
    raj: { managerId: 'dana', team: 'leads', name: 'Raj Patel' },
    mei: { managerId: 'dana', team: 'leads', name: 'Mei Lin' },
  };
  for (const id of PAYMENTS) people[id] = { managerId: 'raj', team: 'payments', name: id === 'priya' ? 'Priya Sharma' : id[0]!.toUpperCase() + id.slice(1) };
  for (const id of PLATFORM) people[id] = { managerId: 'mei', team: 'platform', name: id[0]!.toUpperCase() + id.slice(1) };
  return people;
}

/** 30 days × 20 people: two runs a person a day, three model calls each, with outcomes. */
export function seedRecords(people: readonly string[], teams: Record<string, string | undefined>, now: number, days = 30): UsageRecord[] {
  const records: UsageRecord[] = [];
  const today = Math.floor(now / DAY) * DAY;
  people.forEach((person, p) => {
    for (let d = 0; d < days; d++) {
      for (let run = 0; run < 2; run++) {
        const runId = `seed-${person}-${d}-${run}`;
        const answered = (p + d + run) % 4 !== 0;
        const actions: Record<string, number> = (p + d) % 3 === 0 && run === 0 ? { email_send: 1 } : {};
        for (let step = 1; step <= 3; step++) {
          const input = 400 + ((p * 37 + d * 11 + step * 5) % 600);
          records.push(usageRecordFixture({
            runId,
            step,
            at: today - d * DAY + 9 * 3_600_000 + run * 3_600_000 + step * 1000,
            principalId: person,
            ...(teams[person] ? { team: teams[person] } : {}),
            skills: run === 0 ? ['email'] : ['slack'],
            trigger: run === 1 && d % 2 === 0 ? 'schedule' : 'user',
            inputTokens: input,
            outputTokens: 40 + step * 7,
            source: (p + step) % 2 === 0 ? 'reported' : 'estimated',
            costUsd: input * 0.00000015,
            promptHash: (p * 1000 + d * 10 + run).toString(16).padStart(64, '0'),
            outcome: { stopReason: answered ? 'final' : 'max_steps', answered, actions },
          }));
        }
      }
    }
  });
  return records;
}

/** Everything a console test needs, on a fresh temp database. */
export interface ConsoleFixture {
  db: ClawDatabase;
  console: ClawConsole;
  mailbox: InMemoryMailbox;
  directory: InMemoryOrgChart;
  /** Starts a run of priya's that waits for approval of an `email_send` with this subject (`[board] …`: two approvers). */
  pendingSend(subject: string, options?: { approvalTimeoutMs?: number }): Promise<RunResult>;
  close(): Promise<void>;
}

const SECRET = 'test-secret-of-at-least-32-characters!!';

/** Opens a seeded console; `authenticate` reads the viewer from the `x-test-user` header or `test_user` cookie. */
export async function consoleFixture(options: { now?: number; seed?: boolean } = {}): Promise<ConsoleFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'claw-console-'));
  const db = openClawDatabase(join(dir, 'claw.db'));
  const people = orgChart();
  const directory = new InMemoryOrgChart(people);
  if (options.seed !== false) {
    const teams = Object.fromEntries(Object.entries(people).map(([id, p]) => [id, p.team]));
    await db.ledger.append(seedRecords(Object.keys(people), teams, options.now ?? Date.now()));
  }
  const mailbox = new InMemoryMailbox({ address: 'Priya Sharma <priya@acme.example>' });
  const skills = [emailSkill.configure({ mailbox, internalDomains: ['acme.example'] })];
  const agentOptions = (model: ScriptedModel, approvalTimeoutMs?: number) => ({
    model,
    skills,
    principal: { id: 'priya', managerId: 'raj', team: 'payments' },
    grants: ['email:send'],
    environment: 'production' as const,
    // Mail to the board goes out only after two people other than the sender approved it.
    policy: { rules: [{ tool: 'email_send', input: { subject: /^\[board\]/ }, verdict: 'approve' as const, approvers: 2, reason: 'mail to the board needs two approvers' }] },
    approvalStore: db.approvals,
    runStateStore: db.runStates,
    audit: db.audit,
    ...(approvalTimeoutMs !== undefined ? { approvalTimeoutMs } : {}),
  });
  const reports = new UsageReports({ ledger: db.ledger, directory, audit: db.audit });
  const console = createConsole({
    authenticate: (request) => request.headers.get('x-test-user') ?? /(?:^|;\s*)test_user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
    reports,
    ledger: db.ledger,
    directory,
    approvals: db.approvals,
    runStates: db.runStates,
    audit: db.audit,
    secret: SECRET,
    agentFor: () => new Agent(agentOptions(new ScriptedModel([{ text: 'Sent it.' }]))),
  });
  return {
    db,
    console,
    mailbox,
    directory,
    async pendingSend(subject, opts = {}) {
      const model = new ScriptedModel([{ toolCalls: [{ name: 'email_send', input: { to: ['raj@acme.example'], subject, body: 'The weekly numbers are attached.' } }] }]);
      return new Agent(agentOptions(model, opts.approvalTimeoutMs)).run('Send Raj the weekly report');
    },
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
