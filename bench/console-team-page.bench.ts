/**
 * @claw/console: server-side render of the team page for a manager of 50 people (5 team leads with 9 reports
 * each) over 30 days, on a SQLite ledger of 1,000,000 records — 500 people, 92 days, runs of 5 model calls, about
 * 22 records a person a day, so the page covers ~33,000 records. Timed from `fetch(request)` to the full HTML body,
 * median of repeated renders. Beside it, in the same run: the ledger's own aggregate of the same people and days
 * (one GROUP BY over the rollup), the floor any page showing these numbers starts from; and the same page when the
 * reports fold every record themselves (a ledger without `summariseRuns`), which must render the same HTML.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageReports, type UsageLedger, type UsageRecord } from '@claw/core';
import { usageRecordFixture } from '@claw/core/testing';
import { createConsole, InMemoryOrgChart, type OrgChartPerson } from '@claw/console';
import { openClawDatabase } from '@claw/sqlite';
import type { BenchRow } from './bench-row';
import { median, progress, scaled, timeAsync } from './support/measure';

const TOTAL = Number(process.env.CONSOLE_BENCH_TOTAL ?? 0) || scaled(1_000_000, 50_000);
const PEOPLE = 500;
const DAYS = 92;
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const START = END - DAYS * DAY;
const SKILLS = [['email'], ['deploy'], ['slack'], ['email', 'slack'], []];
const TRIGGERS = ['user', 'user', 'user', 'schedule', 'dream', 'heartbeat'] as const;

/** Record i: runs of 5 steps spread evenly over 92 days and 500 people; every run ends with an outcome. */
function record(i: number): UsageRecord {
  const run = Math.floor(i / 5);
  const person = run % PEOPLE;
  return usageRecordFixture({
    runId: `run-${run}`,
    step: (i % 5) + 1,
    at: START + Math.floor((run / (TOTAL / 5)) * DAYS * DAY) + (i % 5) * 1000,
    principalId: `person-${person}`,
    team: `team-${Math.floor(person / 10)}`,
    skills: SKILLS[run % SKILLS.length]!,
    trigger: TRIGGERS[run % TRIGGERS.length]!,
    inputTokens: 500 + (i % 900),
    outputTokens: 20 + (i % 300),
    costUsd: 0.0001 * (1 + (i % 17)),
    promptHash: (run % 997).toString(16).padStart(64, '0'),
    outcome: { stopReason: run % 7 === 0 ? 'max_steps' : 'final', answered: run % 7 !== 0, actions: run % 3 === 0 ? { email_send: 1 } : {} },
  });
}

/** A director over 5 leads; each lead manages the 9 other people of their team of 10. */
function org(): Record<string, OrgChartPerson> {
  const people: Record<string, OrgChartPerson> = { director: { team: 'directors' } };
  for (let p = 0; p < PEOPLE; p++) {
    const team = Math.floor(p / 10);
    const lead = `person-${team * 10}`;
    people[`person-${p}`] = p % 10 === 0 ? { managerId: team < 5 ? 'director' : 'elsewhere', team: `team-${team}` } : { managerId: lead, team: `team-${team}` };
  }
  return people;
}

export default async function consoleTeamPageBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'claw-bench-console-'));
  // A console server reads across the whole ledger: it maps all of the file rather than the default 256 MiB.
  const db = openClawDatabase(join(dir, 'claw.db'), { mmapSizeMiB: 2048, cacheSizeMiB: 256 });
  try {
    for (let i = 0; i < TOTAL; i += 10_000) await db.ledger.append(Array.from({ length: Math.min(10_000, TOTAL - i) }, (_, j) => record(i + j)));
    db.database.pragma('optimize');
    progress('console-team-page', `ledger of ${TOTAL} records ready`);
    const directory = new InMemoryOrgChart(org());
    const reports = new UsageReports({ ledger: db.ledger, directory, audit: db.audit });
    const console = createConsole({
      authenticate: () => 'director',
      reports,
      ledger: db.ledger,
      directory,
      approvals: db.approvals,
      runStates: db.runStates,
      audit: db.audit,
      secret: 'bench-secret-bench-secret-bench-secret',
      clock: () => END - DAY,
    });
    const from = new Date(END - 30 * DAY).toISOString().slice(0, 10);
    const to = new Date(END - DAY).toISOString().slice(0, 10);
    const url = `http://127.0.0.1/team?from=${from}&to=${to}`;
    // The baseline: the same page over the same file when reports fold every record themselves (a ledger offering
    // only query and aggregate, as before run summaries existed).
    const foldingLedger: UsageLedger = { append: (r) => db.ledger.append(r), get: (id) => db.ledger.get(id), query: (q) => db.ledger.query(q), aggregate: (q) => db.ledger.aggregate(q), setOutcome: (id, o) => db.ledger.setOutcome(id, o) };
    const folding = createConsole({
      authenticate: () => 'director', reports: new UsageReports({ ledger: foldingLedger, directory, audit: db.audit }), ledger: foldingLedger, directory,
      approvals: db.approvals, runStates: db.runStates, audit: db.audit, secret: 'bench-secret-bench-secret-bench-secret', clock: () => END - DAY,
    });
    const renderWith = (app: typeof console) => async () => {
      const response = await app.fetch(new Request(url));
      const body = await response.text();
      if (response.status !== 200 || (body.match(/<tr data-person=/g) ?? []).length !== 50) throw new Error(`team page failed: HTTP ${response.status}`);
      return body;
    };
    const render = renderWith(console);
    const renderFolding = renderWith(folding);
    if ((await render()) !== (await renderFolding())) throw new Error('the team page differs between run summaries and folded records');
    const people = [...Array.from({ length: 50 }, (_, i) => `person-${i}`)];
    const aggregate = () => db.ledger.aggregate({ principalIds: people, from: END - 30 * DAY, to: END, groupBy: ['principal'] });
    const rounds = scaled(21, 3);
    for (let i = 0; i < 2; i++) await render(), await aggregate();
    const pageTimes: number[] = [];
    const pageCpu: number[] = [];
    const floorTimes: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const cpu = process.cpuUsage();
      pageTimes.push(await timeAsync(render));
      const used = process.cpuUsage(cpu);
      pageCpu.push((used.user + used.system) / 1000);
      floorTimes.push(await timeAsync(aggregate));
    }
    const foldingTimes: number[] = [];
    for (let i = 0; i < scaled(5, 1); i++) foldingTimes.push(await timeAsync(renderFolding));
    const records = (await db.ledger.aggregate({ principalIds: people, from: END - 30 * DAY, to: END, groupBy: [] }))[0]?.records ?? 0;
    const page = median(pageTimes);
    return [
      {
        figure: `console: team page, 50 people x 30 days (${records.toLocaleString('en')} records) over a ${TOTAL.toLocaleString('en')}-record SQLite ledger, server render median`,
        value: Math.round(page * 10) / 10,
        unit: 'ms',
        comparedWith: 'ledger aggregate of the same people and days (by person)',
        comparedValue: Math.round(median(floorTimes) * 100) / 100,
        target: '< 100 ms',
        meetsTarget: page < 100,
      },
      {
        figure: 'console: team page as above, reports folding every record (ledger without summariseRuns), median',
        value: Math.round(median(foldingTimes) * 10) / 10,
        unit: 'ms',
        comparedWith: 'team page with run summaries (first row)',
        comparedValue: Math.round(page * 10) / 10,
      },
      // On a shared machine wall time includes waiting for the CPU; this figure counts only this process's CPU time.
      {
        figure: 'console: team page as above, CPU time of this process per render, median',
        value: Math.round(median(pageCpu) * 10) / 10,
        unit: 'cpu-ms',
      },
    ];
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
