import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClawDatabase } from '@claw/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from './support/built-cli';
import { approvalDecisionScenarios } from './support/approval-scenarios';
import { seedStores, writeOrgFile, type SeedFacts } from './support/seed';

let cli: BuiltCli;
let dir: string;
let store: string;
let org: string;
let facts: SeedFacts;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claw-cli-'));
  store = join(dir, 'claw.db');
  org = writeOrgFile(join(dir, 'org.json'));
  const db = openClawDatabase(store);
  facts = await seedStores(db);
  await db.close();
  cli = await buildCli();
});
afterAll(() => {
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const claw = (...args: string[]) => cli.run(['--store', store, '--org', org, ...args]);

async function auditCount(): Promise<number> {
  const db = openClawDatabase(store);
  try {
    return (await db.audit.list()).length;
  } finally {
    await db.close();
  }
}

describe('claw usage', () => {
  it("shows a person's own usage as a table, by skill", async () => {
    const run = await claw('usage', '--as', 'priya', '--by', 'skill');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Usage of priya, seen by priya');
    expect(run.stdout).toMatch(/By skill\nskill\s+calls\s+runs\s+input\s+output\s+total\s+cost\n-+/);
    expect(run.stdout).toMatch(/\nnotes\s+2\s+1\s/);
  });

  it('prints the UsageReport as JSON for scripts, with category sums', async () => {
    const run = await claw('usage', '--as', 'raj', '--person', 'priya', '--by', 'category', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ viewer: 'raj', subject: 'priya', suppressedGroups: 0, groups: [{ key: {}, records: 2, runs: 1 }] });
    expect(report.totals.records).toBe(2);
    expect(report.totals.totalTokens).toBe(report.categories.system + report.categories.skill_instructions + report.categories.memory + report.categories.tool_schemas
      + report.categories.conversation + report.categories.tool_results + report.categories.message_overhead + report.categories.output_text + report.categories.output_tool_calls);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['categories', 'flags', 'formulaVersions', 'from', 'groups', 'outcomes', 'subject', 'suppressedGroups', 'to', 'totals', 'viewer']));
  });

  it("shows a manager the team's aggregate by trigger", async () => {
    const run = await claw('usage', '--as', 'raj', '--team', 'payments', '--by', 'trigger', '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.team).toBe('payments');
    // All five used the `user` trigger, only four dreamed: too few to show, and showing `user` beside the team total
    // would reveal the dreamers by subtraction, so both groups are held back while the total stays visible.
    expect(report.totals.records).toBe(2 + 4 * 2); // priya's run and each other member's two
    expect(report.groups).toEqual([]);
    expect(report.suppressedGroups).toBe(2);
    expect(report.privacy).toMatchObject({ minGroupSize: 5, suppressedPeriods: 0 });
  });

  it('refuses a peer with one line on stderr and exit 2, and audits the refusal', async () => {
    const before = await auditCount();
    const run = await claw('usage', '--as', 'sam', '--person', 'priya');
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe('claw: "sam" may not view usage of "priya": only the person and their management chain can. Ask priya or their manager.\n');
    const db = openClawDatabase(store);
    const denied = await db.audit.list({ type: 'access.denied' });
    await db.close();
    expect(denied.at(-1)).toMatchObject({ principalId: 'sam', data: { viewer: 'sam', target: 'priya' } });
    expect(await auditCount()).toBe(before + 1);
  });

  it('refuses malformed flags with exit 2 and one line', async () => {
    const cases = [['--as', 'priya', '--since', 'yesterday'], ['--as', 'priya', '--by', 'colour'], ['--person', 'priya'], ['--as', 'raj', '--person', 'priya', '--team', 'payments'], ['--as', 'priya', '--frobnicate']];
    const runs = await Promise.all(cases.map((args) => claw('usage', ...args)));
    expect(runs.map((r) => r.stderr)).toEqual([
      'claw: --since "yesterday" is not a span (30d, 12h, 2w, 90m) or a date (2026-11-01).\n',
      'claw: --by "colour" is not one of day, skill, trigger, category, model, source, status, stopReason, principal.\n',
      "claw: required option '--as <viewer>' not specified\n",
      'claw: Pass --person or --team, not both.\n',
      "claw: unknown option '--frobnicate'\n",
    ]);
    expect(runs.map((r) => [r.code, r.stdout])).toEqual(cases.map(() => [2, '']));
  });
});

describe('claw explain', () => {
  it("derives a record's numbers line by line for its person's manager", async () => {
    const run = await claw('explain', facts.priyaRecord.id, '--as', 'raj');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toContain(`Model call ${facts.priyaRecord.id}: priya's run ${facts.priyaRecord.runId}, step 1`);
    expect(lines.some((l) => l.startsWith('Estimated input:'))).toBe(true);
    expect(lines.find((l) => l.startsWith('Counted:'))).toBe(`Counted: ${facts.priyaRecord.inputTokens.toLocaleString('en-US')} input + ${facts.priyaRecord.outputTokens.toLocaleString('en-US')} output = ${facts.priyaRecord.totalTokens.toLocaleString('en-US')} tokens.`);
  });

  it('prints { record, explanation } as JSON', async () => {
    const run = await claw('explain', facts.priyaRecord.id, '--as', 'priya', '--json');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.record).toMatchObject({ id: facts.priyaRecord.id, principalId: 'priya', totalTokens: facts.priyaRecord.totalTokens });
    expect(json.explanation[0]).toMatch(/^Model call /);
  });

  it('refuses an unknown record id and a viewer outside the chain, exit 2', async () => {
    const [unknown, peer] = await Promise.all([claw('explain', 'no-such-record', '--as', 'raj'), claw('explain', facts.priyaRecord.id, '--as', 'zoe')]);
    expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: `claw: No usage record with id "no-such-record" in ${store}.\n` });
    expect(peer).toMatchObject({ code: 2, stdout: '' });
    expect(peer.stderr).toMatch(/^claw: "zoe" may not view usage of "priya"/);
  });
});

describe('claw approvals', () => {
  it('lists the pending request and shows its preview and exact input', async () => {
    const [list, listJson, show] = await Promise.all([claw('approvals', 'list'), claw('approvals', 'list', '--json'), claw('approvals', 'show', facts.requestId)]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${facts.requestId}\\s+priya\\s+note_add\\s+write\\s+production`));
    const json = JSON.parse(listJson.stdout);
    expect(json).toEqual([expect.objectContaining({ id: facts.requestId, toolName: 'note_add', input: { text: 'Release 4.2 shipped' }, inputHash: facts.inputHash })]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Would add the note "Release 4.2 shipped"');
    expect(show.stdout).toContain('Exact input (runs exactly as shown');
    expect(show.stdout).toContain('"text": "Release 4.2 shipped"');
    expect(show.stdout).toContain(`Input hash:  ${facts.inputHash}`);
  });

  it('refuses a wrong input hash and a missing --as; nothing is written', async () => {
    const before = await auditCount();
    const [hash, missingAs] = await Promise.all([
      claw('approvals', 'approve', facts.requestId, '--as', 'raj', '--input-hash', '0'.repeat(64)),
      claw('approvals', 'approve', facts.requestId),
    ]);
    expect(hash).toMatchObject({ code: 2, stdout: '' });
    expect(hash.stderr).toMatch(/^claw: Approval of \S+ refused: .*different input than this call has.*Nothing was recorded\.\n$/);
    expect(missingAs.code).toBe(2);
    expect(missingAs.stderr).toMatch(/^claw: required option '--as <approver>' not specified\n$/);
    expect(await auditCount()).toBe(before);
    expect(JSON.parse((await claw('approvals', 'show', facts.requestId, '--json')).stdout)).toMatchObject({ status: 'pending', decisions: [] });
  });

  it("approves the seeded run's call bound to the reviewed hash; the resumed run executes it", async () => {
    const run = await claw('approvals', 'approve', facts.requestId, '--as', 'raj', '--input-hash', facts.inputHash, '--reason', 'looks right');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Approved ${facts.requestId}: note_add for priya, by raj.`);
    const shown = JSON.parse((await claw('approvals', 'show', facts.requestId, '--json')).stdout);
    expect(shown).toMatchObject({ status: 'pending', decisions: [{ decision: 'approve', approver: 'raj' }] });
    const db = openClawDatabase(store);
    try {
      const result = await facts.resume(db);
      expect(result.stopReason).toBe('final');
      expect(await db.approvals.listPending()).toEqual([]);
      expect((await db.audit.list({ type: 'approval.granted' })).at(-1)).toMatchObject({ principalId: 'priya', data: { requestId: facts.requestId, approvers: ['raj'] } });
    } finally {
      await db.close();
    }
    expect((await claw('approvals', 'list')).stdout).toBe('No approval requests are waiting.\n');
  });
});

describe('claw approvals approve | deny on SQLite', () => {
  approvalDecisionScenarios(() => ({
    claw,
    withStores: async (fn) => {
      const db = openClawDatabase(store);
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
  }));
});

describe('claw audit verify', () => {
  it('verifies the intact chain without writing to stderr when it is not a terminal', async () => {
    const run = await claw('audit', 'verify');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Audit log intact: \d+ entries verified in /);
    const json = JSON.parse((await claw('audit', 'verify', '--json')).stdout);
    expect(json).toEqual({ valid: true, entries: await auditCount() });
  });

  it('exits 1 on an edited entry and prints the first broken one', async () => {
    const copy = join(dir, 'tampered.db');
    const db = openClawDatabase(store);
    await db.database.backup(copy);
    await db.close();
    const tampered = openClawDatabase(copy);
    tampered.database.exec('DROP TRIGGER audit_entries_no_update');
    tampered.database.prepare("UPDATE audit_entries SET data = json_set(data, '$.tampered', 1) WHERE seq = 3").run();
    await tampered.close();
    const run = await cli.run(['--store', copy, 'audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Audit log BROKEN at chain "main", entry 3: content does not match its hash: the entry was edited.');
    expect(run.stdout).toContain('"tampered": 1');
    const json = JSON.parse((await cli.run(['--store', copy, 'audit', 'verify', '--json'])).stdout);
    expect(json).toMatchObject({ valid: false, brokenAt: { chain: 'main', seq: 3 }, brokenEntry: { seq: 3, data: { tampered: 1 } } });
  });
});

describe('a store sealed with the host key (CLAW_KEY)', () => {
  it('verifies with the key, reads as broken without it, and seals the decisions it appends with it', async () => {
    const key = 'the host secret of this service, 32+ bytes';
    const keyed = join(dir, 'keyed.db');
    const db = openClawDatabase(keyed, { key });
    const seeded = await seedStores(db);
    await db.close();
    const withKey = { env: { CLAW_KEY: key } };
    expect(JSON.parse((await cli.run(['--store', keyed, 'audit', 'verify', '--json'], withKey)).stdout)).toMatchObject({ valid: true });
    const unkeyed = await cli.run(['--store', keyed, 'audit', 'verify', '--json']);
    expect(unkeyed.code).toBe(1);
    expect(JSON.parse(unkeyed.stdout)).toMatchObject({ valid: false, brokenAt: { seq: 1 } });
    expect((await cli.run(['--store', keyed, 'approvals', 'deny', seeded.requestId, '--as', 'raj'], withKey)).code).toBe(0);
    const after = await cli.run(['--store', keyed, 'audit', 'verify', '--json'], withKey);
    expect(after.code).toBe(0);
    const reopened = openClawDatabase(keyed, { key });
    try {
      expect(JSON.parse(after.stdout)).toEqual({ valid: true, entries: (await reopened.audit.list()).length });
      expect((await reopened.audit.list({ type: 'approval.decision' })).at(-1)).toMatchObject({ data: { via: 'cli', outcome: 'denied' } });
    } finally {
      await reopened.close();
    }
  });
});

describe('store errors', () => {
  it('refuses a missing SQLite file without creating it, and a URL that is not PostgreSQL, exit 2', async () => {
    const missing = join(dir, 'missing', 'claw.db');
    const [run, mysql] = await Promise.all([cli.run(['--store', missing, 'audit', 'verify']), cli.run(['--store', 'mysql://root:secret@127.0.0.1/claw', 'approvals', 'list'])]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(`claw: No Claw database at ${missing}: pass --store <file> or --store postgres://..., or set CLAW_STORE.\n`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(mysql).toMatchObject({ code: 2, stderr: 'claw: --store "mysql://root:***@127.0.0.1/claw" is neither a SQLite file path nor a postgres:// URL.\n' });
  });

  it('uses CLAW_STORE, and .claw/claw.db in the working directory by default', async () => {
    const viaEnv = await cli.run(['approvals', 'list', '--principal', 'sam', '--json'], { env: { CLAW_STORE: store } });
    expect(viaEnv).toMatchObject({ code: 0, stdout: '[]\n' });
    const empty = mkdtempSync(join(tmpdir(), 'claw-cli-cwd-'));
    try {
      const run = await cli.run(['approvals', 'list'], { cwd: empty });
      expect(run).toMatchObject({ code: 2, stderr: `claw: No Claw database at ${join(empty, '.claw/claw.db')}: pass --store <file> or --store postgres://..., or set CLAW_STORE.\n` });
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
