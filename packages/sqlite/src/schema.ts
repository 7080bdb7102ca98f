/**
 * The versioned schema of a Claw SQLite database. Each migration runs once, in order, inside one transaction,
 * and `claw_schema` records every version applied. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'usage ledger, budgets, audit log, approvals, run states, memory with FTS5',
    sql: `
      CREATE TABLE usage_records (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        run_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        day INTEGER NOT NULL,
        principal_id TEXT NOT NULL,
        team TEXT,
        skills TEXT NOT NULL,
        skill_key TEXT NOT NULL,
        tools TEXT NOT NULL,
        "trigger" TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        encoding TEXT NOT NULL,
        encoding_fidelity TEXT NOT NULL,
        formula_version TEXT NOT NULL,
        estimate TEXT NOT NULL,
        estimated_input_tokens INTEGER NOT NULL,
        estimated_output_tokens INTEGER NOT NULL,
        reported TEXT,
        source TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL,
        delta TEXT,
        cost_usd REAL NOT NULL,
        price_id TEXT NOT NULL,
        status TEXT NOT NULL,
        error_code TEXT,
        prompt_hash BLOB NOT NULL,
        outcome TEXT,
        stop_reason TEXT
      );
      -- Day first, like the rollup: appends touch the pages of recent days only; a person's records over a span of
      -- days are found by seeking each (day, person).
      CREATE INDEX usage_by_day_principal ON usage_records (day, principal_id, at);
      CREATE INDEX usage_by_time ON usage_records (at);
      CREATE INDEX usage_by_run ON usage_records (run_id);
      -- Reports read this rollup instead of the records: one row per run, UTC day and combination of report
      -- dimensions. Keeping run_id in the key makes 'runs' (distinct runs) exact in every grouping.
      CREATE TABLE usage_rollup (
        principal_id TEXT NOT NULL,
        day INTEGER NOT NULL,
        run_id TEXT NOT NULL,
        team TEXT NOT NULL,
        skill_key TEXT NOT NULL,
        "trigger" TEXT NOT NULL,
        model TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        stop_reason TEXT NOT NULL,
        records INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        -- Day first: a batch of recent records dirties a few pages at the end of the tree, not one per person.
        PRIMARY KEY (day, principal_id, run_id, team, skill_key, "trigger", model, source, status, stop_reason)
      ) WITHOUT ROWID;
      CREATE INDEX usage_rollup_by_run ON usage_rollup (run_id);

      CREATE TABLE budget_reservations (
        id TEXT PRIMARY KEY,
        at INTEGER NOT NULL,
        result TEXT NOT NULL,
        granted INTEGER NOT NULL,
        settled INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE INDEX budget_reservations_by_time ON budget_reservations (at);
      CREATE TABLE budget_entries (
        reservation_id TEXT NOT NULL REFERENCES budget_reservations (id),
        key TEXT NOT NULL,
        at INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        PRIMARY KEY (key, at, reservation_id)
      ) WITHOUT ROWID;
      CREATE INDEX budget_entries_by_reservation ON budget_entries (reservation_id);

      CREATE TABLE audit_entries (
        chain TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL UNIQUE,
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        principal_id TEXT NOT NULL,
        run_id TEXT,
        tool_call_id TEXT,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (chain, seq)
      );
      CREATE INDEX audit_by_principal ON audit_entries (principal_id, at);
      CREATE INDEX audit_by_run ON audit_entries (run_id);
      CREATE INDEX audit_by_time ON audit_entries (at);
      -- Append-only: the chain would reveal an edit anyway, but refusing it keeps honest code from making one.
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;

      CREATE TABLE approval_requests (
        id TEXT PRIMARY KEY,
        principal_id TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        request TEXT NOT NULL
      );
      CREATE INDEX approval_requests_by_time ON approval_requests (requested_at);
      CREATE TABLE approval_decisions (
        request_id TEXT PRIMARY KEY,
        outcome TEXT NOT NULL,
        decisions TEXT NOT NULL,
        decided_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE approval_grants (
        id TEXT PRIMARY KEY,
        principal_id TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        "grant" TEXT NOT NULL
      );
      CREATE INDEX approval_grants_by_principal ON approval_grants (principal_id, expires_at);

      CREATE TABLE run_states (
        run_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        suspended_at INTEGER NOT NULL,
        saved_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE memory_items (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        scope TEXT NOT NULL,
        tags TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        terms TEXT NOT NULL,
        tokens INTEGER NOT NULL,
        source TEXT NOT NULL,
        metadata TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        recall_count INTEGER NOT NULL DEFAULT 0,
        last_recalled_at INTEGER,
        deleted_at INTEGER
      );
      CREATE INDEX memory_by_scope_time ON memory_items (scope, created_at);
      -- Only visible memories are indexed: forgetting removes an item from search, restoring puts it back.
      -- 'terms' holds the normalised search terms, each prefixed with a hash of the memory's scope, so a MATCH only
      -- reads the caller's scopes; 'tags' holds one token for the kind.
      CREATE VIRTUAL TABLE memory_fts USING fts5 (
        terms, tags, content = 'memory_items', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE TRIGGER memory_fts_insert AFTER INSERT ON memory_items WHEN new.deleted_at IS NULL
        BEGIN INSERT INTO memory_fts (rowid, terms, tags) VALUES (new.seq, new.terms, new.tags); END;
      CREATE TRIGGER memory_fts_update AFTER UPDATE OF terms, tags, deleted_at ON memory_items
        BEGIN
          INSERT INTO memory_fts (memory_fts, rowid, terms, tags)
            SELECT 'delete', old.seq, old.terms, old.tags WHERE old.deleted_at IS NULL;
          INSERT INTO memory_fts (rowid, terms, tags)
            SELECT new.seq, new.terms, new.tags WHERE new.deleted_at IS NULL;
        END;
      CREATE TRIGGER memory_fts_delete AFTER DELETE ON memory_items WHEN old.deleted_at IS NULL
        BEGIN INSERT INTO memory_fts (memory_fts, rowid, terms, tags) VALUES ('delete', old.seq, old.terms, old.tags); END;
    `,
  },
  {
    version: 2,
    description: 'approval decisions recorded one approver at a time, before a request is settled',
    sql: `
      CREATE TABLE approval_votes (
        request_id TEXT NOT NULL,
        approver TEXT NOT NULL,
        decision TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (request_id, approver)
      );
    `,
  },
  {
    version: 3,
    description: 'usage records keep their prompt sketch and flags',
    sql: `
      ALTER TABLE usage_records ADD COLUMN prompt_sketch TEXT;
      ALTER TABLE usage_records ADD COLUMN flags TEXT;
    `,
  },
];

/** The schema version this release writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Tables every Claw database of the current version has; a missing one means the file was damaged. */
export const REQUIRED_TABLES = [
  'usage_records',
  'usage_rollup',
  'budget_reservations',
  'budget_entries',
  'audit_entries',
  'approval_requests',
  'approval_decisions',
  'approval_grants',
  'approval_votes',
  'run_states',
  'memory_items',
  'memory_fts',
] as const;
