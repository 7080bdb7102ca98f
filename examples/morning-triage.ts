/**
 * Morning triage: background jobs that run while nobody is typing, offline.
 * Run: pnpm tsx examples/morning-triage.ts                             (offline: no API key, no database)
 *      DATABASE_URL=postgres://… pnpm tsx examples/morning-triage.ts    (the same jobs on pg-boss)
 *
 * Two jobs on one scheduler, driven by a fake clock through one morning (06:30–08:00, Europe/Berlin):
 * - `morning-triage` at 07:00 for Priya, Raj and Sam: archives newsletters and summarises what is left. Its
 *   precondition skips anyone without new mail since their last triage, at no cost.
 * - `deploy-watch` every minute, for Priya only, while her deployment runs (07:10–07:14): a heartbeat that reports
 *   progress. Outside that window its precondition is false and nothing is metered.
 * The archive tool acts once per idempotency key, so a retried tick would not archive the same mail twice.
 * It prints what each person finds in the morning and the usage per trigger.
 */
import { z } from 'zod';
import { Agent, InMemoryUsageLedger, Meter, defineJob, defineTool, scheduleJobs, type JobRunContext, type JobScheduler, type Principal } from '@claw/core';
import { FakeClock, ScriptedModel } from '@claw/core/testing';
import { modelFromEnv } from './support/model-from-env';

const people: Principal[] = [
  { id: 'priya', displayName: 'Priya', team: 'platform' },
  { id: 'raj', displayName: 'Raj', team: 'platform' },
  { id: 'sam', displayName: 'Sam', team: 'design' },
];

interface Mail {
  id: string;
  from: string;
  subject: string;
  at: number;
  folder: 'inbox' | 'newsletters';
}
const at = (time: string) => Date.parse(`2026-12-03T${time}:00+01:00`);
const mailboxes: Record<string, Mail[]> = {
  priya: [
    { id: 'm1', from: 'ci@acme.test', subject: 'Nightly build failed on main', at: at('05:40'), folder: 'inbox' },
    { id: 'm2', from: 'news@devweekly.test', subject: 'Dev Weekly #212', at: at('06:00'), folder: 'inbox' },
    { id: 'm3', from: 'raj@acme.test', subject: 'Can you review the billing PR today?', at: at('06:20'), folder: 'inbox' },
  ],
  raj: [
    { id: 'm4', from: 'news@cloudnews.test', subject: 'Cloud News: December', at: at('05:00'), folder: 'inbox' },
    { id: 'm5', from: 'hr@acme.test', subject: 'Holiday rota for next week', at: at('06:10'), folder: 'inbox' },
  ],
  sam: [],
};
/** What each archive key already did: the tool's own idempotency. */
const archivedBy = new Map<string, string[]>();

const inboxList = defineTool({
  name: 'inbox_list',
  description: 'List the messages in the inbox',
  input: z.object({}),
  scopes: ['email:read'],
  effect: 'read',
  untrustedOutput: true,
  execute: (_input, ctx) => mailboxes[ctx.principal.id]!.filter((m) => m.folder === 'inbox').map(({ id, from, subject }) => ({ id, from, subject })),
});
const inboxArchive = defineTool({
  name: 'inbox_archive',
  description: 'Move newsletters out of the inbox',
  input: z.object({ ids: z.array(z.string()) }),
  scopes: ['email:write'],
  effect: 'write',
  preview: (input) => ({ summary: `would move ${input.ids.length} message(s) to Newsletters` }),
  execute: (input, ctx) => {
    const key = `${ctx.idempotencyKey ?? ctx.toolCallId}|${input.ids.join(',')}`;
    const done = archivedBy.get(key);
    if (done) return { moved: 0, alreadyMoved: done };
    for (const mail of mailboxes[ctx.principal.id]!) if (input.ids.includes(mail.id)) mail.folder = 'newsletters';
    archivedBy.set(key, input.ids);
    return { moved: input.ids.length };
  },
});

const deployment = { service: 'billing', startedAt: at('07:10'), endsAt: at('07:14') };
const clock = new FakeClock(at('06:30'));
const ledger = new InMemoryUsageLedger();
const meter = new Meter({
  ledger,
  clock: clock.now,
  budgets: [{ per: 'principal', triggers: ['heartbeat'], windowMs: 86_400_000, maxTokens: 20_000 }],
});
const lastTriage = new Map<string, number>();
const found: string[] = [];

/** The offline stand-in for a model: lists, archives the newsletters, summarises the rest. */
function triageModel(principal: Principal) {
  const mail = mailboxes[principal.id]!.filter((m) => m.folder === 'inbox');
  const newsletters = mail.filter((m) => m.from.startsWith('news@')).map((m) => m.id);
  const rest = mail.filter((m) => !newsletters.includes(m.id));
  return new ScriptedModel([
    { toolCalls: [{ name: 'inbox_list', input: {} }] },
    { toolCalls: [{ name: 'inbox_archive', input: { ids: newsletters } }] },
    { text: `${rest.length} to read (${rest.map((m) => `"${m.subject}"`).join(', ')}); ${newsletters.length} newsletter(s) archived.` },
  ]);
}

const triage = defineJob({
  name: 'morning-triage',
  cron: '0 7 * * *',
  timezone: 'Europe/Berlin',
  principals: () => people,
  // New mail since this person's last triage? No model is called to find out.
  when: ({ principal, lastRun }) => mailboxes[principal!.id]!.some((m) => m.folder === 'inbox' && m.at > (lastRun?.tick ?? 0)),
  run: async (ctx: JobRunContext) => {
    const principal = ctx.principal!;
    const agent = new Agent({
      model: modelFromEnv(() => triageModel(principal)),
      tools: [inboxList, inboxArchive],
      principal,
      grants: ['email:read', 'email:write'],
      environment: 'production',
      policy: { rules: [{ tool: 'inbox_archive', verdict: 'allow', reason: 'moving newsletters is pre-approved' }] },
      meter,
      clock: clock.now,
    });
    const result = await agent.run('Triage my inbox: archive newsletters, then tell me what is left to read.', ctx.runOptions);
    lastTriage.set(principal.id, ctx.tick.getTime());
    found.push(`${principal.displayName} at ${local(ctx.tick.getTime())}: ${result.text}`);
    return result;
  },
});

const watch = defineJob({
  name: 'deploy-watch',
  cron: '* * * * *',
  trigger: 'heartbeat',
  principals: [people[0]!],
  when: () => clock.now() >= deployment.startedAt && clock.now() < deployment.endsAt,
  run: (ctx) => {
    const minute = Math.round((ctx.tick.getTime() - deployment.startedAt) / 60_000) + 1;
    const model = new ScriptedModel([{ text: `billing deploy: step ${minute} of 4 healthy` }]);
    return new Agent({ model: modelFromEnv(() => model), principal: ctx.principal!, meter, clock: clock.now }).run('How is the billing deployment doing?', ctx.runOptions);
  },
});

async function start(): Promise<JobScheduler & { wait(): Promise<void> }> {
  if (!process.env.DATABASE_URL) {
    const scheduler = scheduleJobs([triage, watch], { clock });
    return Object.assign(scheduler, { wait: async () => undefined });
  }
  // The same definitions on pg-boss: every replica started like this would run each (job, person, tick) once.
  const { startPgBossJobs } = await import('@claw/pg-boss');
  const scheduler = await startPgBossJobs({ connectionString: process.env.DATABASE_URL, jobs: [triage, watch], clock, catchUpSeconds: 0, pollingIntervalSeconds: 0.5 });
  const wait = async () => {
    // pg-boss runs in real time: wait until its queues are drained.
    for (;;) {
      const sizes = await Promise.all(['claw-run-morning-triage', 'claw-run-deploy-watch', 'claw-tick-morning-triage', 'claw-tick-deploy-watch'].map((q) => scheduler.boss.getQueueSize(q, { before: 'completed' })));
      if (sizes.every((size) => size === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return Object.assign(scheduler, { wait });
}

const scheduler = await start();
const skipped: Record<string, number> = {};
scheduler.on('job:skip', (e) => (skipped[e.job] = (skipped[e.job] ?? 0) + 1));
scheduler.on('job:error', (e) => console.error(`job ${e.job} failed for ${e.principalId}: ${e.error.message}`));
for (let minute = 0; minute < 90; minute++) {
  await clock.advance(60_000);
  await scheduler.wait();
}

console.log('What each person finds in the morning:');
for (const line of found.sort()) console.log(`  ${line}`);
const status = await scheduler.status();
for (const p of status.find((s) => s.job === 'morning-triage')!.principals.filter((p) => p.lastOutcome === 'skipped')) {
  console.log(`  ${people.find((person) => person.id === p.principalId)?.displayName}: no new mail, triage skipped (no model call).`);
}
console.log('Status:');
for (const job of status) {
  for (const p of job.principals) console.log(`  ${job.job} / ${p.principalId}: ${p.lastOutcome} at ${local(p.lastTick.getTime())}, next ${job.nextRun ? local(job.nextRun.getTime(), true) : '-'}`);
}
console.log(`Skipped ticks: ${Object.entries(skipped).map(([job, n]) => `${job} ${n}`).join(', ')}`);
console.log('Usage per trigger:');
for (const row of await ledger.aggregate({ groupBy: ['trigger'] })) {
  console.log(`  ${row.key.trigger}: ${row.runs} run(s), ${row.records} model call(s), ${row.totalTokens} tokens`);
}
await scheduler.stop();

function local(ms: number, withDay = false): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', ...(withDay ? { weekday: 'short' } : {}) }).format(ms);
}
