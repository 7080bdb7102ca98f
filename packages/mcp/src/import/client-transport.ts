import type { IOType } from 'node:child_process';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** Start a local MCP server as a child process and talk to it over stdio. */
export interface McpStdioTransportConfig {
  command: string;
  args?: readonly string[];
  /** Extra environment variables; the child otherwise gets only the SDK's safe defaults (PATH, HOME, ...). */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** The child's stderr. Default `inherit`. */
  stderr?: IOType;
}

/** Talk to a running MCP server over Streamable HTTP. */
export interface McpHttpTransportConfig {
  url: string | URL;
  /** Headers sent with every request, e.g. `Authorization`. */
  headers?: Readonly<Record<string, string>>;
}

/** Where an imported MCP server is: a command to start (stdio), a URL (Streamable HTTP), or any SDK transport. */
export type McpTransportConfig = McpStdioTransportConfig | McpHttpTransportConfig | Transport;

/** Builds the official SDK client transport for a config. */
export function createClientTransport(config: McpTransportConfig): Transport {
  if ('command' in config && typeof config.command === 'string') {
    return new StdioClientTransport({
      command: config.command,
      args: [...(config.args ?? [])],
      env: { ...getDefaultEnvironment(), ...config.env },
      ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
      stderr: config.stderr ?? 'inherit',
    });
  }
  if ('url' in config && config.url !== undefined) {
    return new StreamableHTTPClientTransport(new URL(config.url), config.headers ? { requestInit: { headers: { ...config.headers } } } : undefined);
  }
  return config as Transport;
}
