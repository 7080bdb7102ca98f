import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClawDatabase, type ClawDatabase, type ClawDatabaseOptions } from '../src';

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function tempDirectory(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'claw-sqlite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a Claw database in a new temp file; `close` closes it and deletes the directory. */
export function openTempDatabase(options?: ClawDatabaseOptions): { db: ClawDatabase; file: string; close: () => Promise<void> } {
  const { dir, remove } = tempDirectory();
  const file = join(dir, 'claw.db');
  let db: ClawDatabase;
  try {
    db = openClawDatabase(file, options);
  } catch (error) {
    remove();
    throw error;
  }
  return {
    db,
    file,
    close: async () => {
      await db.close();
      remove();
    },
  };
}
