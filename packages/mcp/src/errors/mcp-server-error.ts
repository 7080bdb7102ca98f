import { ClawError } from '@claw/core';

/**
 * What went wrong with an MCP server Claw imports tools from:
 * - `connection`: it could not be started or reached, or the connection dropped;
 * - `protocol`: it answered something the protocol does not allow;
 * - `tool-error`: the tool ran and reported a failure (`isError`);
 * - `tool-changed` / `tool-removed`: the server changed or withdrew the tool after it was imported, so Claw no
 *   longer calls it (reconnect and review the new definition).
 */
export type McpServerErrorKind = 'connection' | 'protocol' | 'tool-error' | 'tool-changed' | 'tool-removed';

/** A failure of an imported MCP server or one of its tools. Its `code` is `EXTERNAL_SERVICE`. */
export class McpServerError extends ClawError {
  /** The server's name as configured in `connectMcpServer`. */
  readonly server: string;
  readonly kind: McpServerErrorKind;
  /** The MCP tool name, when a tool call failed. */
  readonly tool: string | undefined;
  constructor(options: { server: string; kind: McpServerErrorKind; message: string; tool?: string; cause?: unknown }) {
    super('EXTERNAL_SERVICE', options.message, { cause: options.cause });
    this.server = options.server;
    this.kind = options.kind;
    this.tool = options.tool;
  }
}
