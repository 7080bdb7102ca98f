import { ClawError } from '@claw/core';

/** Exit codes of `claw`: 0 done, 1 the audit chain is broken, 2 the command was refused (nothing written). */
export const EXIT = { ok: 0, auditBroken: 1, refused: 2 } as const;

/**
 * A command line that cannot be carried out: an unknown flag value, a missing store, an unknown id. Exits with
 * code 2 and its message as the one line on stderr.
 */
export class CliUsageError extends ClawError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** The single stderr line for an error: Claw's own messages as they are, anything else marked as unexpected. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s*\n\s*/g, ' ').trim();
  return error instanceof ClawError ? `claw: ${line}` : `claw: unexpected error: ${line}`;
}
