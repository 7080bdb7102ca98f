import type { ConnectionOptions } from 'node:tls';
import { createTransport } from 'nodemailer';
import { AbortedError } from '@claw/core';
import { smtpFailure } from './server-errors';

/** How to reach and log in to an SMTP server (submission). */
export interface SmtpServerOptions {
  host: string;
  /** Default 465 when `secure`, else 587. */
  port?: number;
  /** TLS from the start (port 465). Default true for port 465, else false (STARTTLS when offered). */
  secure?: boolean;
  /** Never upgrade with STARTTLS, even when offered (only for local test servers). */
  ignoreTls?: boolean;
  /** Refuse to send unless the connection is upgraded with STARTTLS. */
  requireTls?: boolean;
  user?: string;
  password?: string;
  tls?: ConnectionOptions;
  /** Give up opening a connection after this long. Default 10 s. */
  connectTimeoutMs?: number;
}

/** What the server accepted. */
export interface SmtpReceipt {
  accepted: string[];
  rejected: string[];
}

/**
 * Sends raw messages through one pooled nodemailer transport, so consecutive sends reuse a connection.
 * A message is never requeued after a dropped connection: a resend could deliver it twice.
 */
export class SmtpSender {
  readonly server: string;
  private readonly options: SmtpServerOptions;
  private transport: ReturnType<typeof createTransport> | undefined;

  constructor(options: SmtpServerOptions) {
    this.options = options;
    const secure = options.secure ?? options.port === 465;
    this.server = `${options.host}:${options.port ?? (secure ? 465 : 587)}`;
  }

  /**
   * Sends `source` to the envelope recipients. The signal is checked before the transaction starts; once the
   * server has the message, the send completes (stopping half-way could not un-send it).
   * @throws MailboxError (`auth`, `refused` or `connection`); AbortedError when aborted before starting.
   */
  async send(source: Buffer, envelope: { from: string; to: string[] }, signal?: AbortSignal): Promise<SmtpReceipt> {
    if (signal?.aborted) throw new AbortedError();
    try {
      const info = await this.transporter().sendMail({ envelope, raw: source });
      return {
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
      };
    } catch (error) {
      throw smtpFailure(error, {
        operation: `send a message to ${envelope.to.join(', ')}`,
        server: this.server,
        ...(this.options.user ? { user: this.options.user } : {}),
      });
    }
  }

  /** Closes pooled connections. */
  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }

  private transporter(): ReturnType<typeof createTransport> {
    if (this.transport) return this.transport;
    const o = this.options;
    const secure = o.secure ?? o.port === 465;
    this.transport = createTransport({
      pool: true,
      maxConnections: 1,
      maxRequeues: 0,
      host: o.host,
      port: o.port ?? (secure ? 465 : 587),
      secure,
      ...(o.ignoreTls ? { ignoreTLS: true } : {}),
      ...(o.requireTls ? { requireTLS: true } : {}),
      ...(o.user ? { auth: { user: o.user, pass: o.password ?? '' } } : {}),
      ...(o.tls ? { tls: o.tls } : {}),
      connectionTimeout: o.connectTimeoutMs ?? 10_000,
      greetingTimeout: o.connectTimeoutMs ?? 10_000,
      socketTimeout: 60_000,
      logger: false,
    });
    return this.transport;
  }
}
