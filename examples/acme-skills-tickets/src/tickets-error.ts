import { ClawError } from '@claw/core';

/** What went wrong in the ticket system. */
export type TicketsErrorKind = 'not_found' | 'already_closed' | 'unavailable';

/**
 * The ticket system refused or failed a request. A tool that throws it fails with code `EXTERNAL_SERVICE`, and the
 * model reads the message, so the message says what to do next.
 */
export class TicketsError extends ClawError {
  /** What went wrong, for callers that handle cases differently. */
  readonly kind: TicketsErrorKind;
  /** The ticket the request was about, when there was one. */
  readonly ticketId: string | undefined;

  constructor(kind: TicketsErrorKind, message: string, options: { ticketId?: string; cause?: unknown } = {}) {
    super('EXTERNAL_SERVICE', message, { cause: options.cause });
    this.kind = kind;
    this.ticketId = options.ticketId;
  }
}
