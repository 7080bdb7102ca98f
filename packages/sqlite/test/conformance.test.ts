import {
  describeApprovalStoreConformance,
  describeAuditLogConformance,
  describeBudgetStoreConformance,
  describeMemoryStoreConformance,
  describeRunStateStoreConformance,
  describeUsageLedgerConformance,
} from '@claw/core/conformance';
import { openTempDatabase } from './temp-database';

// Every suite runs against a fresh database file (WAL mode, as in production), not `:memory:`.
describeUsageLedgerConformance('SqliteUsageLedger', async () => {
  const { db, close } = openTempDatabase();
  return { store: db.ledger, close };
});

describeBudgetStoreConformance('SqliteBudgetStore', async () => {
  const { db, close } = openTempDatabase();
  return { store: db.budgets, close };
});

describeAuditLogConformance('SqliteAuditLog', async ({ key }) => {
  const { db, close } = openTempDatabase({ key });
  // The table refuses edits by trigger; someone with the file can drop the triggers, so tampering does that first.
  const unguard = () => db.database.exec('DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;');
  return {
    store: db.audit,
    close,
    tamper: {
      async editData(seq) {
        unguard();
        db.database.prepare(`UPDATE audit_entries SET data = json_set(data, '$.edited', 1) WHERE seq = ?`).run(seq);
      },
      async deleteEntry(seq) {
        unguard();
        db.database.prepare('DELETE FROM audit_entries WHERE seq = ?').run(seq);
      },
      async rewrite(entries) {
        unguard();
        const insert = db.database.prepare(
          `INSERT INTO audit_entries (chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        db.database.transaction(() => {
          db.database.exec('DELETE FROM audit_entries');
          for (const e of entries) insert.run(e.chain, e.seq, e.id, e.at, e.type, e.principalId, e.runId ?? null, e.toolCallId ?? null, JSON.stringify(e.data), e.prevHash, e.hash);
        })();
      },
    },
  };
});

describeApprovalStoreConformance('SqliteApprovalStore', async () => {
  const { db, close } = openTempDatabase();
  return { store: db.approvals, close };
});

describeRunStateStoreConformance('SqliteRunStateStore', async () => {
  const { db, close } = openTempDatabase();
  return { store: db.runStates, close };
});

describeRunStateStoreConformance('SqliteRunStateStore with a key', async () => {
  const { db, close } = openTempDatabase({ key: 'a host secret of at least thirty-two bytes' });
  return { store: db.runStates, close };
});

describeMemoryStoreConformance('SqliteMemoryStore', async () => {
  const { db, close } = openTempDatabase();
  return { store: db.memory, close };
});
