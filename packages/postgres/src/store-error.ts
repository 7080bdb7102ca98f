import { ClawError, StoreError } from '@claw/core';

/** Connection failures the driver reports with a Node error code rather than an SQLSTATE. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

interface DriverError {
  code?: string;
  message?: string;
  address?: string;
  port?: number;
}

/**
 * Turns a driver or server error into a {@link StoreError} whose message says what went wrong and what to do.
 * Claw errors pass through unchanged. `action` names what was being done, e.g. "appending usage records".
 */
export function toStoreError(error: unknown, action: string): ClawError {
  if (error instanceof ClawError) return error;
  const e = (error ?? {}) as DriverError;
  const detail = e.message ?? String(error);
  const code = e.code ?? '';
  const say = (what: string) => new StoreError(`PostgreSQL store failed while ${action}: ${what}`, { cause: error });

  if (NETWORK_CODES.has(code)) {
    const where = e.address ? ` (${e.address}${e.port ? `:${e.port}` : ''})` : '';
    return say(
      `cannot reach the server${where}: ${detail}. Check the host and port in the connection string and that PostgreSQL is running and accepts TCP connections.`,
    );
  }
  if (/timeout expired|Connection terminated due to connection timeout/i.test(detail)) {
    return say(`the server did not answer in time (${detail}). Check the host and port, firewalls, and that PostgreSQL is running.`);
  }
  if (code === '28P01' || code === '28000') {
    return say(`the server refused the credentials (${detail}). Check the user name and password in the connection string and the server's pg_hba.conf.`);
  }
  if (/password must be a string|SASL: SCRAM-SERVER-FIRST-MESSAGE: client password/i.test(detail)) {
    return say(`the server asks for a password and none was given. Put it in the connection string (postgres://user:password@host/db) or PGPASSWORD.`);
  }
  if (code === '3D000') return say(`${detail}. Create it first (createdb <name>) or fix the database name in the connection string.`);
  if (code === '42501') return say(`${detail}. Grant the role CREATE and USAGE on the database and schema, or connect as a role that owns them.`);
  if (code === '53300') return say(`${detail}. Lower the pool size (max) or raise max_connections on the server.`);
  if ((code === '22021' && detail.includes('0x00')) || code === '22P05') {
    return say('a text value contains a NUL character (U+0000), which PostgreSQL text cannot store. Remove it before storing.');
  }
  if (code === '57P01' || code === '57P02' || code === '57P03') return say(`${detail}. The server is shutting down or starting; retry once it is up.`);
  if (/Client was closed|Cannot use a pool after calling end/i.test(detail)) {
    return say(`${detail}. The store was closed; open a new one with openClawPostgres().`);
  }
  return say(`${detail}${code ? ` (SQLSTATE ${code})` : ''}.`);
}

/** SQLSTATEs after which repeating the whole transaction is correct: deadlock, serialization failure, unique race. */
export function isRetryable(error: unknown): boolean {
  const code = (error as DriverError | undefined)?.code;
  return code === '40P01' || code === '40001';
}
