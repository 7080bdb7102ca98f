import { defineSkill, InvalidArgumentError, type ConfiguredSkill } from '@claw/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { McpServerError } from '../errors/mcp-server-error';
import { createClientTransport, type McpTransportConfig } from './client-transport';
import { importTool, type ImportedMcpTool, type ImportedToolConfig } from './import-tool';

/** How to import the tools of one MCP server. */
export interface ConnectMcpServerOptions {
  /** The server's name in scopes (`mcp:<name>:<tool>`), tool names and the skill (`mcp-<name>`): a-z, 0-9, -. */
  name: string;
  transport: McpTransportConfig;
  /** Per-tool settings, by the tool's name on the server. */
  tools?: Readonly<Record<string, ImportedToolConfig>>;
  /** Import only these tools (names on the server). Default: every tool listed at connect time. */
  include?: readonly string[];
  /** Believe every tool's annotations (the operator confirms them). Default false: annotations can only restrict. */
  trustAnnotations?: boolean;
  /** Limit of each tool call, and of connecting. Default 30 s. */
  timeoutMs?: number;
  /** Called when the server's tool list changes (`notifications/tools/list_changed`). */
  onToolsChanged?: (changes: McpToolChanges) => void;
}

/** How the server's tool list differs from the one imported. */
export interface McpToolChanges {
  /** New tools: not imported, so no agent can call them until the operator reconnects and grants them. */
  added: string[];
  /** Tools withdrawn: calls are refused. */
  removed: string[];
  /** Tools whose description, schema or annotations changed: calls are refused until reconnected and reviewed. */
  changed: string[];
}

/** A live connection to an MCP server and the Claw skill built from its tools. */
export interface McpConnection {
  readonly name: string;
  /** A skill with one tool per imported MCP tool. Nothing in it is granted: grant scopes to the agent. */
  readonly skill: ConfiguredSkill;
  readonly tools: readonly ImportedMcpTool[];
  /** Tools listed by the server but not imported, with the reason. */
  readonly skipped: readonly { tool: string; reason: string }[];
  /** Changes the server made to its tool list since connecting. */
  changes(): McpToolChanges;
  /** Closes the connection (and stops a stdio server's process). */
  close(): Promise<void>;
}

const SERVER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const MAX_LIST_PAGES = 100;

function fingerprint(tool: McpTool): string {
  return JSON.stringify([tool.description ?? '', tool.title ?? '', tool.inputSchema, tool.outputSchema ?? null, tool.annotations ?? null]);
}

/**
 * Connects to an MCP server with the official SDK `Client` and imports the tools it lists as a Claw skill. Each
 * tool is scoped `mcp:<server>:<tool>` (unless mapped), is `external` unless the operator says otherwise or
 * confirms the server's annotations, returns untrusted content, and is validated against its JSON Schema. Tools
 * the server adds later are reported, never imported; tools it changes or withdraws are refused from then on.
 * @throws InvalidArgumentError on a bad name or option; McpServerError (`connection`) when the server cannot be
 * started, reached or listed in time.
 */
export async function connectMcpServer(options: ConnectMcpServerOptions): Promise<McpConnection> {
  const server = options?.name;
  if (typeof server !== 'string' || !SERVER_NAME.test(server)) {
    throw new InvalidArgumentError(`MCP server name ${JSON.stringify(server)} is invalid: use 1-32 characters of a-z, 0-9 and -, starting with a letter (it becomes part of scopes and tool names).`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new InvalidArgumentError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}.`);

  const imported = new Map<string, string>();
  const status = new Map<string, 'changed' | 'removed'>();
  const changes: McpToolChanges = { added: [], removed: [], changed: [] };
  const onList = (tools: McpTool[]) => {
    const now = new Map(tools.map((t) => [t.name, fingerprint(t)]));
    for (const [name, print] of imported) {
      if (!now.has(name)) mark(name, 'removed');
      else if (now.get(name) !== print) mark(name, 'changed');
    }
    for (const name of now.keys()) if (!listedAtConnect.has(name) && !changes.added.includes(name)) changes.added.push(name);
    options.onToolsChanged?.(structuredClone(changes));
  };
  const mark = (name: string, kind: 'changed' | 'removed') => {
    if (status.get(name) === kind) return;
    status.set(name, kind);
    changes.changed = changes.changed.filter((n) => n !== name);
    changes.removed = changes.removed.filter((n) => n !== name);
    changes[kind].push(name);
  };

  const client = new Client(
    { name: 'claw', version: '0.1.0' },
    { listChanged: { tools: { autoRefresh: true, debounceMs: 0, onChanged: (error, tools) => { if (!error && tools) onList(tools); } } } },
  );
  const listedAtConnect = new Set<string>();
  let listed: McpTool[];
  const transport = createClientTransport(options.transport);
  let pid: number | null = null;
  try {
    const connecting = client.connect(transport, { timeout: timeoutMs });
    // A stdio transport has spawned its process by now; the SDK forgets the pid when connecting fails.
    pid = transport instanceof StdioClientTransport ? transport.pid : null;
    await connecting;
    listed = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      // A server that pages forever must not hold the connect.
      if (++pages > MAX_LIST_PAGES) throw new Error(`it listed more than ${MAX_LIST_PAGES} pages of tools`);
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
      listed.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    await stopServer(client, pid);
    throw new McpServerError({ server, kind: 'connection', message: `Could not connect to the MCP server "${server}" and list its tools: ${error instanceof Error ? error.message : String(error)}. Check the command or URL, and that it speaks MCP.`, cause: error });
  }

  const tools: ImportedMcpTool[] = [];
  const skipped: { tool: string; reason: string }[] = [];
  let closed = false;
  client.onclose = () => {
    closed = true;
  };
  const ctx = {
    server,
    client,
    timeoutMs,
    trustAnnotations: options.trustAnnotations === true,
    status: (name: string) => status.get(name) ?? ('current' as const),
    closed: () => closed,
  };
  const names = new Set<string>();
  for (const tool of listed) {
    listedAtConnect.add(tool.name);
    if (options.include && !options.include.includes(tool.name)) {
      skipped.push({ tool: tool.name, reason: 'not in `include`' });
      continue;
    }
    try {
      const config = options.tools && Object.hasOwn(options.tools, tool.name) ? options.tools[tool.name] : undefined;
      const result = importTool(ctx, tool, config);
      if (names.has(result.tool.name)) throw new Error(`another tool of this server already became "${result.tool.name}"; map one with tools["${tool.name}"].name`);
      names.add(result.tool.name);
      imported.set(tool.name, fingerprint(tool));
      tools.push(result);
    } catch (error) {
      skipped.push({ tool: tool.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  const skill = defineSkill({
    name: `mcp-${server}`,
    version: '0.0.0',
    description: `Tools of the MCP server "${server}"`,
    // The server's own instructions are outside text: they never join the system prompt.
    instructions: '',
    scopes: Object.fromEntries(tools.map((t) => [t.scope, `Call the tool "${t.mcpName}" of the MCP server "${server}" (effect: ${t.effect})`])),
    config: z.object({}),
    tools: tools.map((t) => t.tool),
  }).configure({});

  return {
    name: server,
    skill,
    tools,
    skipped,
    changes: () => structuredClone(changes),
    close: () => client.close(),
  };
}

/** Closes a failed connection; a stdio server that ignores the end of its input is terminated at once. */
async function stopServer(client: Client, pid: number | null): Promise<void> {
  await client.close().catch(() => undefined);
  if (pid !== null) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // It has already exited.
    }
  }
}
