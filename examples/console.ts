/**
 * The Claw web console on the default example's database (.claw/claw.db, written by `pnpm example`): usage,
 * the team view, approvals and the audit log in a browser.
 *
 * DEMO SIGN-IN: anyone who can open the page picks who they are (a signed cookie naming one of the people below).
 * A real service passes its own session or SSO check as `authenticate`.
 *
 * Run: pnpm example:console   (then open the printed URL)
 * Options: CLAW_DB=path/to/claw.db, PORT=3000 (0 picks a free port).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { setSignedCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { parseSigned } from 'hono/utils/cookie';
import { Agent, UsageReports } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { createConsole, InMemoryOrgChart, serveConsole } from '@claw/console';
import { emailSkill, InMemoryMailbox } from '@claw/skills-email';
import { openClawDatabase } from '@claw/sqlite';

const dbFile = process.env['CLAW_DB'] ?? fileURLToPath(new URL('../.claw/claw.db', import.meta.url));
if (dbFile !== ':memory:') mkdirSync(dirname(dbFile), { recursive: true });
const db = openClawDatabase(dbFile);

// The people of the examples: Priya (whose agent triages mail) reports to Raj, who reports to Dana.
const people = {
  dana: { name: 'Dana Okafor', team: 'leads' },
  raj: { managerId: 'dana', name: 'Raj Patel', team: 'leads' },
  priya: { managerId: 'raj', name: 'Priya Sharma', team: 'payments' },
  sam: { managerId: 'raj', name: 'Sam Jones', team: 'payments' },
};
const directory = new InMemoryOrgChart(people);

// Priya's mail agent, as it suspends and as it resumes: same skill and grants, an offline model.
const mailbox = new InMemoryMailbox({ address: 'Priya Sharma <priya@acme.example>' });
const priyaAgent = (model: ScriptedModel) =>
  new Agent({
    model,
    skills: [emailSkill.configure({ mailbox, internalDomains: ['acme.example'] })],
    principal: { id: 'priya', managerId: 'raj', displayName: 'Priya Sharma' },
    grants: ['email:send'],
    environment: 'production',
    approvalStore: db.approvals,
    runStateStore: db.runStates,
    audit: db.audit,
    approvalTimeoutMs: 24 * 3_600_000,
  });

// A pending email_send for Raj to decide, unless one is already waiting.
if ((await db.approvals.listPending('priya')).length === 0) {
  const ask = new ScriptedModel([{ toolCalls: [{ name: 'email_send', input: { to: ['raj@acme.example'], subject: 'Weekly report', body: 'Numbers are in the sheet.' } }] }]);
  await priyaAgent(ask).run('Send Raj the weekly report');
}
const recorded = await db.ledger.query({ limit: 1 });
if (recorded.length === 0) console.log('The ledger is empty: run `pnpm example` first for usage to show.');

const clawConsole = createConsole({
  authenticate: async (request) => demoPerson(request),
  reports: new UsageReports({ ledger: db.ledger, directory, audit: db.audit }),
  ledger: db.ledger,
  directory,
  approvals: db.approvals,
  runStates: db.runStates,
  audit: db.audit,
  agentFor: () => priyaAgent(new ScriptedModel([{ text: 'Sent the weekly report to Raj.' }])),
  secret: randomBytes(32).toString('hex'),
  banner: 'DEMO sign-in: anyone can choose who they are here. Never use this authenticate in a real service.',
});

// DEMO ONLY: the cookie is signed so it cannot be edited, but nothing checks who picked the person.
const cookieSecret = randomBytes(32).toString('hex');
const demo = new Hono();
async function demoPerson(request: Request): Promise<string | null> {
  const cookies = await parseSigned(request.headers.get('cookie') ?? '', cookieSecret, 'claw_demo_person');
  const value = cookies['claw_demo_person'];
  return typeof value === 'string' && Object.hasOwn(people, value) ? value : null;
}
demo.use('/demo/*', csrf());
demo.get('/demo', (c) =>
  c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo sign-in · Claw console</title><link rel="stylesheet" href="/assets/console.css"></head>
<body><p class="demo-banner">DEMO sign-in: choose who you are. A real service uses its own session or SSO.</p><main><h1>Who are you?</h1>
<form method="post" action="/demo/sign-in" class="range"><label>Person <select name="person">${Object.entries(people).map(([id, p]) => html`<option value="${id}">${p.name}</option>`)}</select></label><button type="submit">Open the console</button></form></main></body></html>`),
);
demo.post('/demo/sign-in', async (c) => {
  const person = (await c.req.parseBody()).person;
  if (typeof person !== 'string' || !Object.hasOwn(people, person)) return c.text('Choose one of the listed people.', 400);
  await setSignedCookie(c, 'claw_demo_person', person, cookieSecret, { httpOnly: true, sameSite: 'Lax', path: '/' });
  return c.redirect('/usage', 303);
});
demo.all('*', async (c) => {
  if (!c.req.path.startsWith('/assets/') && (await demoPerson(c.req.raw)) === null) return c.redirect('/demo', 303);
  return clawConsole.fetch(c.req.raw);
});

const served = await serveConsole(demo, { port: Number(process.env['PORT'] ?? 3000) });
console.log(`Claw console (demo sign-in) on ${db.path}: ${served.url}/demo`);
const stop = async () => {
  await served.close();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
