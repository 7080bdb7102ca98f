import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { InvalidArgumentError, StoreError } from '@claw/core';
import { usageRecordFixture } from '@claw/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, openClawDatabase } from '../src';
import { tempDirectory } from './temp-database';
import { MIGRATIONS } from '../src/schema';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function tempFile(name = 'claw.db'): string {
  const { dir, remove } = tempDirectory();
  cleanups.push(remove);
  return join(dir, name);
}

function expectStoreError(open: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    open();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StoreError);
  expect((thrown as StoreError).code).toBe('STORE_ERROR');
  expect((thrown as StoreError).message).toMatch(message);
}

describe('openClawDatabase', () => {
  it('creates a new file in WAL mode with the current schema version recorded', async () => {
    const file = tempFile();
    const db = openClawDatabase(file);
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    expect(db.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.database.prepare('SELECT version FROM claw_schema ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    await db.close();
  });

  it('reopens an existing database with its data and without re-running migrations', async () => {
    const file = tempFile();
    const first = openClawDatabase(file);
    await first.ledger.append([usageRecordFixture()]);
    await first.audit.append({ type: 'run.start', principalId: 'priya', data: {} });
    await first.close();
    const again = openClawDatabase(file);
    expect(await again.ledger.query({})).toEqual([usageRecordFixture()]);
    expect(await again.audit.verify()).toEqual({ valid: true, entries: 1 });
    expect(again.database.prepare('SELECT COUNT(*) FROM claw_schema').pluck().get()).toBe(MIGRATIONS.length);
    await again.close();
  });

  it('upgrades a version 1 file in place: its records stay, and new ones keep their prompt sketch and flags', async () => {
    const file = tempFile();
    const setup = openClawDatabase(file);
    await setup.ledger.append([usageRecordFixture({ runId: 'old' })]);
    // Turn the file back into what version 1 wrote.
    setup.database.exec('DROP TABLE approval_votes; ALTER TABLE usage_records DROP COLUMN prompt_sketch; ALTER TABLE usage_records DROP COLUMN flags; DELETE FROM claw_schema WHERE version > 1');
    await setup.close();
    const upgraded = openClawDatabase(file);
    expect(upgraded.schemaVersion).toBe(SCHEMA_VERSION);
    const fresh = usageRecordFixture({ runId: 'new', promptSketch: 'ffffffff00000000', flags: ['over-reservation'] });
    await upgraded.ledger.append([fresh]);
    expect(await upgraded.ledger.query({})).toEqual([usageRecordFixture({ runId: 'old' }), fresh]);
    await upgraded.close();
  });

  it('opens :memory: databases that share nothing', async () => {
    const a = openClawDatabase(':memory:');
    const b = openClawDatabase(':memory:');
    await a.runStates.save({ runId: 'r' } as never);
    expect(await b.runStates.load('r')).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a text file, saying it is not a SQLite database, and leaves it untouched', () => {
    const file = tempFile('notes.txt');
    writeFileSync(file, 'meeting notes: nothing to see here\n'.repeat(200));
    expectStoreError(() => openClawDatabase(file), /is not a SQLite database/);
    expect(readFileSync(file, 'utf8')).toBe('meeting notes: nothing to see here\n'.repeat(200));
  });

  it('refuses another application\'s SQLite database without changing it', () => {
    const file = tempFile('crm.db');
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')");
    foreign.close();
    expectStoreError(() => openClawDatabase(file), /not Claw's \(customers\).*new file path/);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['customers']);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('refuses a database written by a newer schema version', async () => {
    const file = tempFile();
    const db = openClawDatabase(file);
    await db.ledger.append([usageRecordFixture()]);
    db.database.prepare("INSERT INTO claw_schema (version, description, applied_at) VALUES (?, 'from the future', 0)").run(SCHEMA_VERSION + 1);
    await db.close();
    expectStoreError(() => openClawDatabase(file), new RegExp(`version ${SCHEMA_VERSION + 1}, newer.*Upgrade @claw/sqlite`));
  });

  it('refuses a database with a missing table and does not recreate it', async () => {
    const file = tempFile();
    const db = openClawDatabase(file);
    await db.ledger.append([usageRecordFixture()]);
    db.database.exec('DROP TABLE run_states');
    await db.close();
    expectStoreError(() => openClawDatabase(file), /missing table\(s\) run_states.*Restore it from a backup/);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'run_states'").pluck().get()).toBe(0);
    expect(check.prepare('SELECT COUNT(*) FROM usage_records').pluck().get()).toBe(1);
    check.close();
  });

  it('refuses an empty claw_schema table', async () => {
    const file = tempFile();
    const db = openClawDatabase(file);
    db.database.exec('DELETE FROM claw_schema');
    await db.close();
    expectStoreError(() => openClawDatabase(file), /empty or malformed claw_schema/);
  });

  it('reports a directory that does not exist as a StoreError', () => {
    expectStoreError(() => openClawDatabase(join(tempFile(), 'no', 'such', 'dir', 'claw.db')), /cannot be opened because its directory does not exist/);
  });

  it('rejects a bad path argument', () => {
    expect(() => openClawDatabase('')).toThrow(InvalidArgumentError);
  });

  it('turns calls after close into StoreError and closes idempotently', async () => {
    const db = openClawDatabase(tempFile());
    await db.close();
    await db.close();
    await expect(db.ledger.query({})).rejects.toThrow(/is closed. Open it again/);
    await expect(db.memory.list(['shared'])).rejects.toBeInstanceOf(StoreError);
  });
});

describe('SqliteUsageLedger batches', () => {
  it('a batch that fails halfway stores nothing of it', async () => {
    const db = openClawDatabase(':memory:');
    const good = usageRecordFixture({ step: 1 });
    const bad = { ...usageRecordFixture({ step: 2 }), model: undefined } as never;
    await expect(db.ledger.append([good, bad, usageRecordFixture({ step: 3 })])).rejects.toBeInstanceOf(StoreError);
    expect(await db.ledger.query({})).toEqual([]);
    await db.close();
  });

  it('rejects a malformed record before writing anything', async () => {
    const db = openClawDatabase(':memory:');
    await expect(db.ledger.append([usageRecordFixture(), { ...usageRecordFixture({ step: 2 }), at: Number.NaN }])).rejects.toThrow(
      /Usage record #1 needs a finite `at`/,
    );
    expect(await db.ledger.query({})).toEqual([]);
    await db.close();
  });
});

describe('SqliteAuditLog', () => {
  it('refuses to update or delete entries through SQL', async () => {
    const db = openClawDatabase(':memory:');
    await db.audit.append({ type: 'run.start', principalId: 'priya', data: { secret: false } });
    expect(() => db.database.exec(`UPDATE audit_entries SET data = '{}'`)).toThrow(/append-only/);
    expect(() => db.database.exec('DELETE FROM audit_entries')).toThrow(/append-only/);
    expect(await db.audit.verify()).toEqual({ valid: true, entries: 1 });
    await db.close();
  });

  it('keeps one unbroken chain when two connections append to the same file', async () => {
    const file = tempFile();
    const a = openClawDatabase(file);
    const b = openClawDatabase(file);
    for (let i = 0; i < 20; i++) await (i % 2 ? a : b).audit.append({ type: 'tool.call', principalId: 'priya', data: { i } });
    expect(await a.audit.verify()).toEqual({ valid: true, entries: 20 });
    expect((await b.audit.list()).map((e) => e.data.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await Promise.all([a.close(), b.close()]);
  });
});

describe('SqliteBudgetStore across connections', () => {
  it('two connections to one file share the budget and never overspend it', async () => {
    const file = tempFile();
    const a = openClawDatabase(file);
    const b = openClawDatabase(file);
    const limits = [{ key: 'principal:priya', windowMs: 60_000, maxTokens: 1000 }];
    const request = (id: string) => ({ id, limits, inputTokens: 50, inputCostUsd: 0, maxOutputTokens: 50, outputCostPerTokenUsd: 0, minOutputTokens: 50, at: 1_000_000 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).budgets.reserve(request(`r${i}`))));
    expect(results.filter((r) => r.granted)).toHaveLength(10);
    expect(await b.budgets.usage('principal:priya', 60_000, 1_000_000)).toEqual({ tokens: 1000, costUsd: 0 });
    expect(await a.budgets.prune(1_000_001)).toBe(30);
    expect(await a.budgets.usage('principal:priya', 60_000, 1_000_000)).toEqual({ tokens: 0, costUsd: 0 });
    await Promise.all([a.close(), b.close()]);
  });
});
