import { ClawError, StoreError } from '@claw/core';

/** SQLite result codes that mean the file itself is not usable, with what to do about each. */
const FILE_PROBLEMS: Record<string, string> = {
  SQLITE_NOTADB: 'is not a SQLite database (or is encrypted). Point openClawDatabase at a Claw database file or a new path',
  SQLITE_CORRUPT: 'is corrupt. Restore it from a backup; Claw will not write to a damaged database',
  SQLITE_CANTOPEN: 'cannot be opened. Check that its directory exists and that this process may read and write it',
  SQLITE_READONLY: 'is read-only. Give this process write access to the file and its directory (WAL needs both)',
  SQLITE_FULL: 'cannot grow: the disk is full. Free space and retry; the last transaction was rolled back',
  SQLITE_BUSY: 'is locked by another process for longer than the busy timeout. Retry, or raise busyTimeoutMs',
  SQLITE_IOERR: 'could not be read or written (I/O error). Check the disk; the last transaction was rolled back',
};

/** The SQLite error code of a better-sqlite3 error (`SQLITE_BUSY_SNAPSHOT` → `SQLITE_BUSY`), if it is one. */
function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  return Object.keys(FILE_PROBLEMS).find((known) => code === known || code.startsWith(`${known}_`)) ?? code;
}

/**
 * Turns whatever better-sqlite3 threw into a {@link StoreError} whose message says what to do. Claw's own errors
 * pass through unchanged.
 */
export function toStoreError(error: unknown, file: string, operation: string): ClawError {
  if (error instanceof ClawError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /database connection is not open/i.test(message)) {
    return new StoreError(`Cannot ${operation}: the Claw database ${file} is closed. Open it again with openClawDatabase().`, { cause: error });
  }
  if (error instanceof TypeError && /directory does not exist/i.test(message)) {
    return new StoreError(`Cannot ${operation}: ${file} cannot be opened because its directory does not exist. Create the directory first.`, { cause: error });
  }
  const code = sqliteCode(error);
  const problem = code ? FILE_PROBLEMS[code] : undefined;
  if (problem) return new StoreError(`Cannot ${operation}: the database ${file} ${problem} (${message}).`, { cause: error });
  return new StoreError(`Cannot ${operation} in the Claw database ${file}: ${message}.`, { cause: error });
}

/** Runs a synchronous SQLite operation and rethrows failures as {@link StoreError}. */
export function storeCall<T>(file: string, operation: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw toStoreError(error, file, operation);
  }
}
