import { isAbsolute, resolve } from 'node:path';
import { CliUsageError } from '../cli-error';

/** Where the stores are: a SQLite file or a PostgreSQL database. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** The store used when neither `--store` nor `CLAW_STORE` is given, relative to the working directory. */
export const DEFAULT_STORE = '.claw/claw.db';

/**
 * Reads `--store`: a `postgres://` (or `postgresql://`) URL, or a path to a SQLite file. Any other URL scheme is
 * refused, so a typo never turns into a new file named like a URL.
 * @throws CliUsageError for an empty value or a URL that is not PostgreSQL's.
 */
export function parseStoreLocation(value: string, cwd: string): StoreLocation {
  if (value.trim() === '') throw new CliUsageError('--store is empty: pass a SQLite file path or a postgres:// URL.');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url: value };
  if (scheme !== undefined) {
    throw new CliUsageError(`--store "${redactUrl(value)}" is neither a SQLite file path nor a postgres:// URL.`);
  }
  return { kind: 'sqlite', path: isAbsolute(value) ? value : resolve(cwd, value) };
}

/** The location for messages: a URL without its password. */
export function describeLocation(location: StoreLocation): string {
  return location.kind === 'sqlite' ? location.path : redactUrl(location.url);
}

function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
