import { createServer } from 'node:net';
import { openClawPostgres, type ClawPostgres } from '@claw/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgresBinaries, startPostgresServer, type PostgresServer } from '../../postgres/test/postgres-server';
import { buildCli, type BuiltCli } from './support/built-cli';
import { approvalDecisionScenarios } from './support/approval-scenarios';
import { seedStores, writeOrgFile, type SeedFacts } from './support/seed';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A 127.0.0.1 port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe.runIf(hasPostgresBinaries || !!process.env.CI)('claw on a PostgreSQL store', () => {
  let server: PostgresServer;
  let stores: ClawPostgres;
  let cli: BuiltCli;
  let facts: SeedFacts;
  let dir: string;
  let org: string;

  beforeAll(async () => {
    [server, cli] = await Promise.all([startPostgresServer(), buildCli()]);
    stores = await openClawPostgres({ connectionString: server.connectionString, schema: 'claw_cli' });
    facts = await seedStores(stores);
    dir = mkdtempSync(join(tmpdir(), 'claw-cli-pg-'));
    org = writeOrgFile(join(dir, 'org.json'));
  });
  afterAll(async () => {
    await stores?.close();
    await server?.stop();
    cli?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const claw = (...args: string[]) => cli.run(['--store', server.connectionString, '--schema', 'claw_cli', '--org', org, ...args]);

  it('reports usage, explains a record and verifies the audit chain', async () => {
    const [usage, explain, verify] = await Promise.all([
      claw('usage', '--as', 'raj', '--person', 'priya', '--by', 'day', '--json'),
      claw('explain', facts.priyaRecord.id, '--as', 'priya'),
      claw('audit', 'verify', '--json'),
    ]);
    expect(usage.code).toBe(0);
    expect(JSON.parse(usage.stdout)).toMatchObject({ viewer: 'raj', subject: 'priya', totals: { records: 2, runs: 1 } });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain(`Model call ${facts.priyaRecord.id}: priya's run`);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toEqual({ valid: true, entries: (await stores.audit.list()).length });
  });

  it('refuses a viewer outside the chain and audits it in PostgreSQL', async () => {
    const run = await claw('usage', '--as', 'zoe', '--team', 'payments');
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: 'claw: "zoe" may not view usage of "team:payments": only the person and their management chain can. Ask team:payments or their manager.\n' });
    expect((await stores.audit.list({ type: 'access.denied' })).at(-1)).toMatchObject({ principalId: 'zoe', data: { target: 'team:payments' } });
  });

  it('lists, shows and denies the pending approval; the decision is stored once', async () => {
    const list = JSON.parse((await claw('approvals', 'list', '--json')).stdout);
    expect(list.map((r: { id: string }) => r.id)).toEqual([facts.requestId]);
    const show = await claw('approvals', 'show', facts.requestId);
    expect(show.stdout).toContain('"text": "Release 4.2 shipped"');
    const deny = await claw('approvals', 'deny', facts.requestId, '--as', 'raj', '--reason', 'not yet');
    expect(deny).toMatchObject({ code: 0, stderr: '' });
    expect(deny.stdout).toContain(`Denied ${facts.requestId}: note_add for priya, by raj; the call will not run.\nPreview:     Would add the note "Release 4.2 shipped"\nInput:       {"text":"Release 4.2 shipped"}\nInput hash:  ${facts.inputHash}`);
    expect(await stores.approvals.listPending()).toEqual([]);
    expect((await stores.audit.list({ type: 'approval.decision' })).at(-1)).toMatchObject({ data: { requestId: facts.requestId, decision: 'deny', outcome: 'denied', reason: 'not yet', via: 'cli' } });
  });

  describe('approve | deny', () => {
    approvalDecisionScenarios(() => ({ claw, withStores: (fn) => fn(stores) }));
  });

  it('refuses an unreachable server, a wrong password and a database without Claw tables, exit 2', async () => {
    const port = await closedPort();
    const wrong = server.connectionString.replace(`:${server.password}@`, ':wrong@');
    const [unreachable, login, empty] = await Promise.all([
      cli.run(['--store', `postgres://postgres:secret@127.0.0.1:${port}/postgres`, 'audit', 'verify']),
      cli.run(['--store', wrong, 'audit', 'verify']),
      cli.run(['--store', server.connectionString, '--schema', 'not_claw', 'audit', 'verify']),
    ]);
    for (const run of [unreachable, login, empty]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(unreachable.stderr).toMatch(/^claw: Cannot reach the PostgreSQL store postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres: /);
    expect(login.stderr).not.toContain('wrong');
    expect(empty.stderr).toMatch(/has no Claw schema "not_claw"/);
    const schemas = await stores.pool.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'not_claw'");
    expect(schemas.rowCount).toBe(0);
  });
});
