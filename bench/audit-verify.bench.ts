/**
 * @claw/sqlite audit log: `verify()` over a keyed (HMAC-sealed) log of 1,000,000 entries, the size the CLI promises
 * to verify in under 10 s, beside a bare read of the same rows (SELECT in pages and JSON.parse, no sealing) measured
 * in the same run: the ratio is what checking every seal costs on top of reading the log at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditMac, type AuditEntry } from '@claw/core';
import { canonicalJson, sealAuditEntry } from '@claw/core/store-kit';
import { openClawDatabase } from '@claw/sqlite';
import type { BenchRow } from './bench-row';

const TOTAL = process.env.BENCH_QUICK === '1' ? 20_000 : 1_000_000;
const KEY = 'bench host secret, at least thirty-two bytes long';
const TYPES = ['tool.call', 'tool.result', 'policy.decision', 'run.start', 'run.end'] as const;

export default async function auditVerifyBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'claw-bench-audit-'));
  const db = openClawDatabase(join(dir, 'audit.db'), { key: KEY });
  try {
    const mac = auditMac(KEY);
    const insert = db.database.prepare(
      `INSERT INTO audit_entries (chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Entries are sealed exactly as `append` seals them, then written in big transactions (appending one by one
    // would only measure SQLite's commit rate).
    let previous: AuditEntry | undefined;
    const write = db.database.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const entry = sealAuditEntry(previous, 'main', `entry-${i}`, {
          type: TYPES[i % TYPES.length]!,
          principalId: `person-${i % 500}`,
          runId: `run-${Math.floor(i / 8)}`,
          toolCallId: `call-${i}`,
          data: { toolName: 'email_move', input: { ids: [`INBOX:1:${i}`], to: 'Archive' }, decision: 'allow', tainted: false },
          at: 1_800_000_000_000 + i,
        }, mac);
        insert.run(entry.chain, entry.seq, entry.id, entry.at, entry.type, entry.principalId, entry.runId ?? null, entry.toolCallId ?? null, canonicalJson(entry.data), entry.prevHash, entry.hash);
        previous = entry;
      }
    });
    for (let i = 0; i < TOTAL; i += 50_000) write(i, Math.min(TOTAL, i + 50_000));

    const readStarted = performance.now();
    const page = db.database.prepare('SELECT * FROM audit_entries WHERE (chain, seq) > (?, ?) ORDER BY chain, seq LIMIT 5000');
    let after = { chain: '', seq: 0 };
    let read = 0;
    for (;;) {
      const rows = page.all(after.chain, after.seq) as { chain: string; seq: number; data: string }[];
      for (const row of rows) JSON.parse(row.data);
      read += rows.length;
      if (rows.length < 5000) break;
      after = rows.at(-1)!;
    }
    const readSeconds = (performance.now() - readStarted) / 1000;

    const started = performance.now();
    let updates = 0;
    const verdict = await db.audit.verify({ onProgress: () => updates++ });
    const seconds = (performance.now() - started) / 1000;
    if (!verdict.valid || verdict.entries !== TOTAL || read !== TOTAL) throw new Error(`verify did not accept the log: ${JSON.stringify(verdict)}`);
    return [
      {
        figure: `sqlite audit log: verify() of ${TOTAL.toLocaleString('en')} HMAC-sealed entries, s (${updates} progress reports)`,
        value: Number(seconds.toFixed(2)),
        unit: 's',
        comparedWith: 'reading the same rows in pages without checking them',
        comparedValue: Number(readSeconds.toFixed(2)),
        target: '< 10 s for 1,000,000',
        meetsTarget: TOTAL < 1_000_000 || seconds < 10,
      },
    ];
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
