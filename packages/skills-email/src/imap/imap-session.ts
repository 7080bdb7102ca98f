import type { ConnectionOptions } from 'node:tls';
import type { ImapFlow, MailboxObject } from 'imapflow';
import { AbortedError } from '@claw/core';
import { MailboxError } from '../errors';
import { imapFailure, isImapConnectionLoss } from './server-errors';

/** How to reach and log in to an IMAP server. */
export interface ImapServerOptions {
  host: string;
  /** Default 993 when `secure`, else 143. */
  port?: number;
  /** Connect with TLS from the start (port 993). Default true for port 993, else false. */
  secure?: boolean;
  /** Upgrade a plain connection with STARTTLS when the server offers it. Default true. */
  startTls?: boolean;
  user: string;
  password?: string;
  /** OAuth2 access token (XOAUTH2), instead of a password. */
  accessToken?: string;
  tls?: ConnectionOptions;
  /** Give up opening a connection after this long. Default 10 s. */
  connectTimeoutMs?: number;
  /** Drop a connection on which nothing arrives for this long. Default 5 min (IDLE keeps it alive). */
  socketTimeoutMs?: number;
}

interface Connection {
  client: ImapFlow;
  /** The server's text of the last command imapflow reported as failed (it returns `false` for some). */
  lastRefusal?: string;
}

/**
 * One reusable IMAP connection. Opened on first use and kept for every later call; when the server drops it
 * (idle timeout, restart, kick), the next call opens a new one. Calls that only read or set flags are retried
 * once on a fresh connection when the old one died under them; calls whose outcome would be unknown (move,
 * append) are not, and fail with a `connection` error saying so.
 */
export class ImapSession {
  /** How many connections have been opened so far (1 for a session that never lost its connection). */
  opened = 0;
  private current: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private readonly options: ImapServerOptions;
  readonly server: string;

  constructor(options: ImapServerOptions) {
    this.options = options;
    const secure = options.secure ?? options.port === 993;
    this.server = `${options.host}:${options.port ?? (secure ? 993 : 143)}`;
  }

  /**
   * Runs `work` on the connection. A dropped connection is replaced and, with `retry`, the work runs once more.
   * @throws MailboxError for IMAP failures; AbortedError when the signal fires (the connection is closed so the
   *   command stops, and the next call reconnects).
   */
  async run<T>(
    operation: string,
    signal: AbortSignal | undefined,
    work: (connection: Connection) => Promise<T>,
    options: { retry: boolean },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new AbortedError();
      let connection: Connection | undefined;
      try {
        connection = await abortable(this.connect(), signal, () => undefined);
        const active = connection;
        return await abortable(work(active), signal, () => this.drop(active));
      } catch (error) {
        if (error instanceof AbortedError) throw error;
        const lost = isImapConnectionLoss(error) || (connection !== undefined && isDead(connection.client));
        if (!lost) throw imapFailure(error, { operation, server: this.server, user: this.options.user });
        if (connection) this.drop(connection);
        if (options.retry && attempt === 1) continue;
        if (isImapConnectionLoss(error)) throw imapFailure(error, { operation, server: this.server, user: this.options.user });
        throw new MailboxError(
          'connection',
          `The IMAP connection to ${this.server} dropped during ${operation}; the server may or may not have done it. Search the folders to check before trying again.`,
          { cause: error, protocol: 'imap' },
        );
      }
    }
  }

  /**
   * Selects a folder for the duration of `work` (imapflow's mailbox lock keeps concurrent calls from switching
   * folders under each other).
   * @throws MailboxError (`folder-not-found`) naming the folders that do exist.
   */
  async inFolder<T>(connection: Connection, path: string, work: (mailbox: MailboxObject) => Promise<T>): Promise<T> {
    const { client } = connection;
    let lock;
    try {
      lock = await client.getMailboxLock(path);
    } catch (error) {
      if ((error as { mailboxMissing?: boolean }).mailboxMissing) {
        const existing = (await client.list()).map((folder) => folder.path);
        throw new MailboxError('folder-not-found', `Folder "${path}" does not exist. Existing folders: ${existing.join(', ')}.`, {
          cause: error,
          protocol: 'imap',
        });
      }
      throw error;
    }
    try {
      return await work(client.mailbox as MailboxObject);
    } finally {
      lock.release();
    }
  }

  /** Logs out (politely when possible). The next call opens a new connection. */
  async close(): Promise<void> {
    const connection = this.current ?? (await this.connecting?.catch(() => undefined));
    this.current = undefined;
    this.connecting = undefined;
    if (!connection) return;
    try {
      if (connection.client.usable) await connection.client.logout();
    } catch {
      // The connection is being discarded either way; a failed LOGOUT changes nothing for the caller.
    } finally {
      connection.client.close();
    }
  }

  private connect(): Promise<Connection> {
    if (this.current && !isDead(this.current.client)) return Promise.resolve(this.current);
    this.current = undefined;
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<Connection> {
    const o = this.options;
    const secure = o.secure ?? o.port === 993;
    const connection: Connection = { client: undefined as unknown as ImapFlow };
    const capture = (entry: { err?: { responseText?: string; message?: string } }) => {
      if (entry?.err) connection.lastRefusal = entry.err.responseText ?? entry.err.message;
    };
    // Loaded on first connect: imapflow is large, and in-memory users of this package never need it.
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: o.host,
      port: o.port ?? (secure ? 993 : 143),
      secure,
      doSTARTTLS: o.startTls === false ? false : undefined,
      auth: { user: o.user, ...(o.accessToken ? { accessToken: o.accessToken } : { pass: o.password ?? '' }) },
      ...(o.tls ? { tls: o.tls } : {}),
      connectionTimeout: o.connectTimeoutMs ?? 10_000,
      greetingTimeout: o.connectTimeoutMs ?? 10_000,
      socketTimeout: o.socketTimeoutMs ?? 5 * 60_000,
      logger: { debug: () => undefined, info: () => undefined, warn: capture, error: capture },
      clientInfo: { name: 'claw-skills-email' },
    });
    connection.client = client;
    // imapflow emits 'error' for socket failures; without a listener Node would crash the process.
    client.on('error', () => undefined);
    client.on('close', () => {
      if (this.current === connection) this.current = undefined;
    });
    try {
      await client.connect();
    } catch (error) {
      client.close();
      throw error;
    }
    this.opened++;
    this.current = connection;
    return connection;
  }

  private drop(connection: Connection): void {
    if (this.current === connection) this.current = undefined;
    connection.client.close();
  }
}

/**
 * True once the connection cannot carry commands. A server BYE moves imapflow to LOGOUT before the socket
 * closes and `usable` turns false, and commands in that window quietly return nothing, so both are checked.
 */
function isDead(client: ImapFlow): boolean {
  return !client.usable || client.state === client.states.LOGOUT;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    onAbort();
    return Promise.reject(new AbortedError());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      promise.catch(() => undefined);
      onAbort();
      reject(new AbortedError());
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

export type { Connection as ImapConnection };
