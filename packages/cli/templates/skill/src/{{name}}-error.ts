import { ClawError } from '@claw/core';

/** What went wrong in the backend. */
export type {{Name}}ErrorKind = 'unavailable' | 'too_long';

/** A failure of the {{name}} backend; the message tells the model what to do next. */
export class {{Name}}Error extends ClawError {
  /** What went wrong, for callers that handle cases differently. */
  readonly kind: {{Name}}ErrorKind;

  constructor(kind: {{Name}}ErrorKind, message: string, options: { cause?: unknown } = {}) {
    super('EXTERNAL_SERVICE', message, { cause: options.cause });
    this.kind = kind;
  }
}
