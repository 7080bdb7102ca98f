import type { Readable, Writable } from 'node:stream';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createClawMcpServer, type ClawMcpServerOptions } from './claw-mcp-server';

/** A running MCP server and how to stop it. */
export interface RunningMcpServer {
  server: Server;
  /** Closes the transport; in-flight calls are aborted. */
  close(): Promise<void>;
}

/**
 * Serves the agent's tools over stdio (the process's stdin and stdout), the transport MCP hosts use to start a
 * local server (pass `stdin`/`stdout` to use other streams). Nothing else may write to stdout while it runs: log to stderr.
 */
export async function serveMcpStdio(options: ClawMcpServerOptions & { stdin?: Readable; stdout?: Writable }): Promise<RunningMcpServer> {
  const server = createClawMcpServer(options);
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  await server.connect(transport);
  return { server, close: () => server.close() };
}
