import type Database from 'better-sqlite3';
import { StoreError } from '@claw/core';
import { MIGRATIONS, REQUIRED_TABLES, SCHEMA_VERSION } from './schema';

function userTables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]).sort();
}

function storedVersion(db: Database.Database, file: string): number {
  try {
    const version = db.prepare('SELECT MAX(version) FROM claw_schema').pluck().get();
    if (typeof version === 'number' && Number.isInteger(version) && version > 0) return version;
  } catch (error) {
    throw new StoreError(
      `The database ${file} has a claw_schema table Claw cannot read (${(error as Error).message}). It was not written by @claw/sqlite, or it is damaged: restore it from a backup or use a new file.`,
      { cause: error },
    );
  }
  throw new StoreError(
    `The database ${file} has an empty or malformed claw_schema table. Restore it from a backup or use a new file; Claw will not guess its schema version.`,
  );
}

/**
 * Decides whether a file may be used before anything is written to it: an empty database or one of ours is fine;
 * a database of someone else's tables or of a newer Claw release is refused.
 * @returns whether migrations are needed
 * @throws StoreError for a foreign, newer or unreadable database
 */
export function inspectSchema(db: Database.Database, file: string): { fresh: boolean; version: number } {
  const tables = userTables(db);
  if (!tables.includes('claw_schema')) {
    if (tables.length > 0) {
      throw new StoreError(
        `The database ${file} holds tables that are not Claw's (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}) and no claw_schema table. Claw will not write into another application's database: give openClawDatabase a new file path.`,
      );
    }
    return { fresh: true, version: 0 };
  }
  const version = storedVersion(db, file);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `The database ${file} has Claw schema version ${version}, newer than this @claw/sqlite understands (${SCHEMA_VERSION}). Upgrade @claw/sqlite; older code must not write to a newer schema.`,
    );
  }
  return { fresh: false, version };
}

/**
 * Applies every migration newer than the stored version, in one immediate transaction (so two processes opening
 * a new file at once migrate it once), then checks that every table is present.
 * @returns the schema version now in the file
 * @throws StoreError when a migration fails (nothing is applied) or a required table is missing
 */
export function migrate(db: Database.Database, file: string, clock: () => number): number {
  const apply = db.transaction(() => {
    const { version } = inspectSchema(db, file);
    if (version === 0) {
      db.exec('CREATE TABLE claw_schema (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    }
    const record = db.prepare('INSERT INTO claw_schema (version, description, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (migration.version <= version) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.description, clock());
    }
  });
  apply.immediate();
  const present = new Set(userTables(db));
  const missing = REQUIRED_TABLES.filter((table) => !present.has(table));
  if (missing.length > 0) {
    throw new StoreError(
      `The Claw database ${file} is missing table(s) ${missing.join(', ')}: it was damaged or edited by hand. Restore it from a backup; Claw will not recreate tables over existing data.`,
    );
  }
  return SCHEMA_VERSION;
}
