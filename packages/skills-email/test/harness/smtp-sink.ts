import { SMTPServer } from 'smtp-server';

/** A message the sink accepted. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  source: Buffer;
  user: string | undefined;
}

/** Options for {@link startSmtpSink}. */
export interface SmtpSinkOptions {
  /** Logins the server accepts: user name to password. */
  users: Record<string, string>;
  /** Recipients answered with `550 5.1.1` (a server refusal). */
  rejectRecipient?: (address: string) => boolean;
  /** Called for each accepted message, e.g. to deliver it into Dovecot. A throw becomes a 451 reply. */
  deliver?: (mail: ReceivedMail) => Promise<void>;
}

/** A running SMTP submission server on 127.0.0.1 (npm smtp-server). */
export interface SmtpSink {
  readonly port: number;
  readonly received: ReceivedMail[];
  stop(): Promise<void>;
}

/**
 * Starts a real SMTP server that requires AUTH on a plain port (no STARTTLS offered, so nodemailer needs no
 * TLS options) and records every message it accepts.
 */
export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username !== undefined && options.users[auth.username] === auth.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipient?.(address.address)) {
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), { responseCode: 550 }));
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          source: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
        };
        Promise.resolve(options.deliver?.(mail)).then(
          () => {
            received.push(mail);
            callback();
          },
          (error: Error) => callback(Object.assign(new Error(`4.3.0 delivery failed: ${error.message}`), { responseCode: 451 })),
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    port,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
