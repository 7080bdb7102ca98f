/**
 * `claw audit verify` on SQLite: the whole command (open the store, verify every link and HMAC seal of the hash chain,
 * print the result) over an audit log of 1,000,000 entries, beside the time it takes just to read every row of the same
 * table, measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditMac, type AuditEntry } from '@claw/core';
import { canonicalJson, sealAuditEntry } from '@claw/core/store-kit';
import { runClaw } from '@claw/cli';
import { openClawDatabase } from '@claw/sqlite';
import type { BenchRow } from './bench-row';
import { scaled, timeAsync, timeSync } from './support/measure';

const ENTRIES = scaled(1_000_000, 10_000);
/** The host's audit secret (`CLAW_KEY`): entries are HMAC-sealed, as in production. */
const KEY = 'bench host secret, at least thirty-two bytes long';
const TYPES = ['tool.call', 'tool.result', 'policy.decision', 'run.start', 'run.end'] as const;

/** Writes a chain of `count` realistic entries straight into the table (as years of appends would leave it). */
function seed(path: string, count: number): void {
  const db = openClawDatabase(path, { key: KEY });
  const mac = auditMac(KEY);
  const insert = db.database.prepare(
    `INSERT INTO audit_entries (chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let previous: AuditEntry | undefined;
  const start = Date.UTC(2026, 0, 1);
  db.database.transaction(() => {
    for (let i = 0; i < count; i++) {
      const run = Math.floor(i / 10);
      previous = sealAuditEntry(previous, 'main', `entry-${i}`, {
        type: TYPES[i % TYPES.length]!,
        principalId: `person-${run % 500}`,
        runId: `run-${run}`,
        toolCallId: `call-${i}`,
        at: start + i * 1000,
        data: { toolName: 'email_search', input: { query: `from:customer-${i % 97}@example.com is:unread`, limit: 20 }, status: 'ok', durationMs: i % 300 },
      }, mac);
      const e = previous;
      insert.run(e.chain, e.seq, e.id, e.at, e.type, e.principalId, e.runId ?? null, e.toolCallId ?? null, canonicalJson(e.data), e.prevHash, e.hash);
    }
  })();
  void db.close();
}

export default async function cliAuditVerifyBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'claw-bench-audit-'));
  const path = join(dir, 'claw.db');
  try {
    seed(path, ENTRIES);
    const readDb = openClawDatabase(path);
    const read = timeSync(() => readDb.database.prepare('SELECT * FROM audit_entries').all());
    await readDb.close();
    let stdout = '';
    let code = -1;
    const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true, isTTY: false }, cwd: dir, env: { CLAW_KEY: KEY }, now: Date.now };
    const cpuBefore = process.cpuUsage();
    const verify = await timeAsync(async () => {
      code = await runClaw(['--store', path, 'audit', 'verify', '--json'], io);
    });
    const cpu = process.cpuUsage(cpuBefore);
    const result = JSON.parse(stdout) as { valid: boolean; entries: number };
    if (code !== 0 || !result.valid || result.entries !== ENTRIES) throw new Error(`claw audit verify failed: exit ${code}, ${stdout}`);
    const seconds = verify / 1000;
    return [
      {
        figure: `claw audit verify: ${ENTRIES.toLocaleString('en')} audit entries on SQLite, whole command`,
        value: Math.round(seconds * 100) / 100,
        unit: 's',
        comparedWith: 'reading every row of the table, nothing verified',
        comparedValue: Math.round(read / 10) / 100,
        target: '< 10 s',
        meetsTarget: seconds < 10,
      },
      {
        // On a shared machine wall time includes waiting for the CPU; this counts only this process's CPU time.
        figure: `claw audit verify: CPU seconds of this process for the same ${ENTRIES.toLocaleString('en')} entries`,
        value: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
        unit: 'cpu-s',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
