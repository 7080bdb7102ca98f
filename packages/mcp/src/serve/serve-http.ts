import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '@claw/core';
import { serve } from '@hono/node-server';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { createClawMcpServer, type ClawMcpServerOptions } from './claw-mcp-server';

/** Options of the Streamable HTTP endpoint. */
export interface McpHttpOptions extends ClawMcpServerOptions {
  /** Path of the MCP endpoint. Default `/mcp`. */
  path?: string;
  /**
   * Decides whether a request may reach the agent (check a bearer token, mTLS identity, ...). Every MCP client
   * acts as the agent's principal, so an endpoint reachable by others must authenticate. Default: allow (for
   * servers bound to loopback only; `serveMcpHttp` refuses other addresses without it).
   */
  authenticate?: (request: Request) => boolean | Promise<boolean>;
  /** `Host` header values accepted (DNS-rebinding protection). Default: any. */
  allowedHosts?: string[];
}

/**
 * A fetch handler (`(request) => Response`) serving the agent's tools over MCP Streamable HTTP, statelessly: each
 * POST gets a fresh server and transport, so no session state is kept between requests. Mount it in any Hono,
 * Node or edge app; `serveMcpHttp` starts one on a port.
 */
export function createMcpHttpHandler(options: McpHttpOptions): (request: Request) => Promise<Response> {
  const path = options.path ?? '/mcp';
  const app = new Hono();
  app.all(path, async (c) => {
    if (options.authenticate && !(await options.authenticate(c.req.raw))) {
      return c.json({ jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized: this MCP endpoint needs credentials.' }, id: null }, 401);
    }
    // Stateless: no server-initiated streams (GET) and no sessions to end (DELETE).
    if (c.req.method !== 'POST') {
      return c.json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this endpoint is stateless, use POST.' }, id: null }, 405);
    }
    const server = createClawMcpServer(options);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts, enableDnsRebindingProtection: true } : {}),
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
  return (request) => Promise.resolve(app.fetch(request));
}

/** A Streamable HTTP MCP server listening on a port. */
export interface RunningMcpHttpServer {
  /** The endpoint, e.g. `http://127.0.0.1:41234/mcp`. */
  url: URL;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts a Streamable HTTP MCP server (Hono on Node). Binds to 127.0.0.1 by default, with DNS-rebinding protection
 * for that host; port 0 picks a free port.
 * @throws InvalidArgumentError when asked to listen on a non-loopback address without `authenticate`.
 */
export async function serveMcpHttp(options: McpHttpOptions & { port?: number; hostname?: string }): Promise<RunningMcpHttpServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  if (!LOOPBACK.has(hostname) && !options.authenticate) {
    throw new InvalidArgumentError(`serveMcpHttp would expose the agent on ${hostname} to anyone who can reach it; pass \`authenticate\` (e.g. a bearer-token check) or bind to 127.0.0.1.`);
  }
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: (request) => handler!(request), port: options.port ?? 0, hostname }, () => resolve(started));
    started.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  const allowedHosts = options.allowedHosts ?? (LOOPBACK.has(hostname) ? [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`] : undefined);
  handler = createMcpHttpHandler({ ...options, ...(allowedHosts ? { allowedHosts } : {}) });
  return {
    url: new URL(`http://${host}:${port}${options.path ?? '/mcp'}`),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
