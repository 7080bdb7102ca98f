import pg from 'pg';
import type { PoolClient } from 'pg';

/** The part of pg's connection a COPY FROM STDIN writes to (pg serialises the protocol messages). */
interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * A pg `Query` that answers the server's CopyInResponse with prepared text. This is pg's own extension point for
 * COPY (`client.query(submittable)`, the hook pg-copy-streams uses); the query text, result and error handling stay
 * pg's. Everything is sent at once, so it suits batches that already sit in memory.
 */
class CopyFromText extends pg.Query {
  private readonly chunks: () => Iterable<string>;

  constructor(sql: string, chunks: () => Iterable<string>, callback: (error: Error | undefined) => void) {
    super(sql, callback as never);
    this.chunks = chunks;
  }

  handleCopyInResponse(connection: CopyConnection): void {
    try {
      for (const chunk of this.chunks()) connection.sendCopyFromChunk(Buffer.from(chunk, 'utf8'));
      connection.endCopyFrom();
    } catch (error) {
      // The server then ends the COPY with an error, which reaches the callback.
      connection.sendCopyFail(`client failed to produce COPY data: ${(error as Error).message}`);
    }
  }
}

/** Runs `COPY … FROM STDIN` (text format) with the given chunks of COPY text. Rejects with the server's error. */
export function copyFromText(client: PoolClient, sql: string, chunks: () => Iterable<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    client.query(new CopyFromText(sql, chunks, (error) => (error ? reject(error) : resolve())));
  });
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field in COPY text format: `\N` for null, backslash, tab and line breaks escaped. */
export function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}
