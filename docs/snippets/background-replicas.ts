/**
 * docs/background.md: the same job definitions on every replica, on pg-boss over the database the stores use.
 * Type-checked by docs/snippets.test.ts; not run (it needs PostgreSQL).
 */
import { Agent, Meter, defineJob, type Principal } from '@claw/core';
import { startPgBossJobs } from '@claw/pg-boss';
import { openClawPostgres } from '@claw/postgres';
import { ScriptedModel } from '@claw/core/testing';

declare function peopleWithInboxes(): Promise<Principal[]>;
declare function hasNewMail(principal: Principal, since: number): Promise<boolean>;
const model = new ScriptedModel([{ text: 'Nothing urgent.' }]);

const connectionString = process.env.DATABASE_URL!;
const claw = await openClawPostgres({ connectionString });
const meter = new Meter({
  ledger: claw.ledger,
  budgetStore: claw.budget,
  budgets: [{ per: 'principal', triggers: ['schedule', 'heartbeat'], windowMs: 86_400_000, maxTokens: 50_000 }],
});

const triage = defineJob({
  name: 'morning-triage',
  cron: '0 7 * * 1-5',
  timezone: 'Europe/Berlin',
  principals: () => peopleWithInboxes(),
  when: ({ principal, lastRun }) => hasNewMail(principal!, lastRun?.tick ?? 0),
  run: (ctx) => new Agent({ model, principal: ctx.principal!, meter, audit: claw.audit }).run('Triage my inbox', ctx.runOptions),
});

const jobs = await startPgBossJobs({ connectionString, jobs: [triage], audit: claw.audit, leaseSeconds: 600 });
jobs.on('job:error', (event) => console.error(`${event.job} failed for ${event.principalId}: ${event.error.message}`));

process.once('SIGTERM', async () => {
  await jobs.stop(); // aborts this replica's runs; another replica retries them under the same idempotency keys
  await claw.close();
});
