import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryAuditLog } from '@claw/core';
import { openClawDatabase } from '@claw/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClaw, verifyAuditLog, type ClawIo } from '../src';
import { parseSince } from '../src/format/parse-flags';

let dir: string;
let store: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claw-cli-inproc-'));
  store = join(dir, 'claw.db');
  const db = openClawDatabase(store);
  for (let i = 0; i < 5; i++) await db.audit.append({ type: 'run.start', principalId: 'priya', data: { i } });
  await db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(tty: boolean): ClawIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: tty, columns: 100 },
    cwd: dir,
    env: {},
    now: () => Date.UTC(2026, 11, 3, 12),
    out: () => out,
    err: () => err,
  };
}

describe('runClaw', () => {
  it('draws the audit progress bar on stderr only when stderr is a terminal', async () => {
    const terminal = io(true);
    expect(await runClaw(['--store', store, 'audit', 'verify'], terminal)).toBe(0);
    expect(terminal.err()).toContain('Verifying the audit log');
    expect(terminal.out()).toBe(`Audit log intact: 5 entries verified in ${store}.\n`);
    const pipe = io(false);
    expect(await runClaw(['--store', store, 'audit', 'verify'], pipe)).toBe(0);
    expect(pipe.err()).toBe('');
    expect(pipe.out()).toBe(terminal.out());
  });

  it('refuses a malformed org file with one line, and reads .claw/org.json by default', async () => {
    writeFileSync(join(dir, 'bad-org.json'), JSON.stringify({ people: { priya: { manager: 'raj' } } }));
    const bad = io(false);
    expect(await runClaw(['--store', store, '--org', 'bad-org.json', 'usage', '--as', 'raj', '--person', 'priya'], bad)).toBe(2);
    expect(bad.err()).toMatch(/^claw: The org file .*bad-org\.json is malformed at people\.priya: .*Expected \{ "people"/);
    expect(bad.err().trim().split('\n')).toHaveLength(1);
    const missing = io(false);
    expect(await runClaw(['--store', store, '--org', 'nope.json', 'usage', '--as', 'priya'], missing)).toBe(2);
    expect(missing.err()).toBe(`claw: No org file at ${join(dir, 'nope.json')}: pass --org <file.json> (see docs/cli.md for its shape).\n`);
    // Without an org file nobody manages anybody: a person sees their own usage only.
    const own = io(false);
    expect(await runClaw(['--store', store, 'usage', '--as', 'priya', '--json'], own)).toBe(0);
    expect(JSON.parse(own.out())).toMatchObject({ viewer: 'priya', subject: 'priya', totals: { records: 0 } });
    const team = io(false);
    expect(await runClaw(['--store', store, 'usage', '--as', 'raj', '--team', 'nobody'], team)).toBe(2);
    expect(team.err()).toBe(`claw: Team "nobody" has no members in the org file ${join(dir, '.claw/org.json')}.\n`);
    const other = io(false);
    expect(await runClaw(['--store', store, 'usage', '--as', 'raj', '--person', 'priya'], other)).toBe(2);
  });

  it('prints help and the version with exit 0', async () => {
    const help = io(false);
    expect(await runClaw(['--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: claw [options] [command]');
    const version = io(false);
    expect(await runClaw(['--version'], version)).toBe(0);
    expect(version.out()).toBe('0.1.0\n');
  });
});

describe('verifyAuditLog', () => {
  it('reports progress and returns the first broken entry of an edited chain', async () => {
    const audit = new InMemoryAuditLog();
    for (let i = 0; i < 3; i++) await audit.append({ type: 'tool.call', principalId: 'priya', data: { i } });
    audit.entries[1]!.data = { i: 99 };
    const progress: unknown[] = [];
    const check = await verifyAuditLog(audit, { onProgress: (p) => progress.push(p) });
    expect(check).toMatchObject({ valid: false, brokenAt: { chain: 'main', seq: 2 }, brokenEntry: { seq: 2, data: { i: 99 } } });
    expect(progress).toEqual([{ verified: 0 }, { verified: 2, total: 3 }]);
  });

  it('reports progress while the store streams a long log, not only at the end', async () => {
    const audit = new InMemoryAuditLog();
    for (let i = 0; i < 25_000; i++) await audit.append({ type: 'tool.call', principalId: 'priya', data: { i } });
    const progress: unknown[] = [];
    expect(await verifyAuditLog(audit, { onProgress: (p) => progress.push(p) })).toEqual({ valid: true, entries: 25_000 });
    expect(progress).toEqual([{ verified: 0 }, { verified: 10_000, total: 25_000 }, { verified: 20_000, total: 25_000 }, { verified: 25_000, total: 25_000 }]);
  });
});

describe('parseSince', () => {
  const now = Date.UTC(2026, 11, 3, 12);
  it('reads spans back from now and dates', () => {
    expect(parseSince('--since', '30d', now)).toBe(now - 30 * 86_400_000);
    expect(parseSince('--since', '12h', now)).toBe(now - 12 * 3_600_000);
    expect(parseSince('--since', '2026-11-01', now)).toBe(Date.UTC(2026, 10, 1));
    expect(parseSince('--since', '2026-11-01T08:30:00Z', now)).toBe(Date.UTC(2026, 10, 1, 8, 30));
    expect(() => parseSince('--since', '30 days', now)).toThrow(/is not a span/);
  });
});
