import { StoreError } from '@claw/core';

/**
 * Reads a JSON column.
 * @throws StoreError when the column does not hold valid JSON (the row was edited outside Claw).
 */
export function parseJsonColumn<T>(text: string, what: string, reviver?: (key: string, value: unknown) => unknown): T {
  try {
    return JSON.parse(text, reviver) as T;
  } catch (error) {
    throw new StoreError(`The stored ${what} is not valid JSON: the row was changed outside Claw. Restore it from a backup.`, { cause: error });
  }
}

/** Reads an optional JSON column (SQL NULL → undefined). */
export function parseOptionalJsonColumn<T>(text: string | null, what: string): T | undefined {
  return text === null ? undefined : parseJsonColumn<T>(text, what);
}
