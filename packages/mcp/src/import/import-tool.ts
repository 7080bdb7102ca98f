import {
  AbortedError,
  ClawError,
  defineTool,
  detectInjection,
  ToolTimeoutError,
  wrapUntrusted,
  type Tool,
  type ToolEffect,
} from '@claw/core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { McpServerError } from '../errors/mcp-server-error';
import { importedToolEffect } from './imported-tool-effect';
import { jsonSchemaInput } from './json-schema-input';
import { mcpResultText } from './mcp-result-text';

/** How the operator imports one MCP tool. Everything is optional; defaults are the safe ones. */
export interface ImportedToolConfig {
  /** Claw tool name. Default `<server>_<tool>` in lowercase with `_` for other characters. */
  name?: string;
  /** Scope a principal must be granted. Default `mcp:<server>:<tool>`. */
  scope?: string;
  /** The operator's effect for the tool; the server's annotations can still raise it, never lower it. */
  effect?: ToolEffect;
  /** Believe the server's annotations for this tool (e.g. `readOnlyHint` → `read`). Default: the server-wide setting. */
  trustAnnotations?: boolean;
  /** Description shown to the model instead of the server's. */
  description?: string;
  /** Input fields checked for values copied from untrusted content (see core's `sensitiveInputs`). */
  sensitiveInputs?: readonly string[];
}

/** One tool imported from an MCP server, with how Claw treats it. */
export interface ImportedMcpTool {
  /** The tool's name on the server. */
  mcpName: string;
  /** The Claw tool that calls it. */
  tool: Tool;
  scope: string;
  effect: ToolEffect;
  /** What the server's annotations alone would have made it. */
  claimedEffect: ToolEffect;
}

/** What the tools of one connection share. */
export interface ImportContext {
  server: string;
  client: Client;
  timeoutMs: number;
  trustAnnotations: boolean;
  /** `changed` or `removed` once the server altered the tool after import; calls are then refused. */
  status(mcpName: string): 'current' | 'changed' | 'removed';
  /** True once the connection is closed (by either side). */
  closed(): boolean;
}

const MCP_TOOL_NAME = /^[A-Za-z0-9_.\-/]{1,128}$/;

/** The Claw name an MCP tool gets by default, or undefined when it cannot be made a valid tool name. */
export function defaultToolName(server: string, mcpName: string): string | undefined {
  const name = `${server}_${mcpName}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/_$/, '');
  return /^[a-z][a-z0-9_]{0,63}$/.test(name) ? name : undefined;
}

/**
 * Turns one listed MCP tool into a Claw tool: validated by its JSON Schema, scoped, with an effect the server can
 * only raise, untrusted output, a preview (so the sandbox and approvers see the exact call), the connection's
 * timeout, and refusal once the server changed or withdrew it.
 * @throws Error with the reason when the tool cannot be imported (bad name, schema that does not compile).
 */
export function importTool(ctx: ImportContext, listed: McpTool, config: ImportedToolConfig = {}): ImportedMcpTool {
  const mcpName = listed.name;
  if (!MCP_TOOL_NAME.test(mcpName)) throw new Error('its name is not a valid MCP tool name (A-Z, a-z, 0-9, _ - . /, at most 128)');
  const name = config.name ?? defaultToolName(ctx.server, mcpName);
  if (name === undefined) throw new Error(`no valid Claw tool name can be made from it; map it with tools["${mcpName}"].name`);
  const scope = config.scope ?? `mcp:${ctx.server}:${mcpName}`;
  const claimedEffect = importedToolEffect(listed.annotations, { trustAnnotations: true });
  const effect = importedToolEffect(listed.annotations, { ...(config.effect !== undefined ? { effect: config.effect } : {}), trustAnnotations: config.trustAnnotations ?? ctx.trustAnnotations });
  const input = jsonSchemaInput(listed.inputSchema as Record<string, unknown>);
  const description = (config.description ?? listed.description ?? listed.title ?? `The tool "${mcpName}" of the MCP server "${ctx.server}".`).slice(0, 4000);
  // A description reaches the model as part of the tool list, not as wrapped content: one that tries to instruct it
  // (tool poisoning) keeps the tool out unless the operator writes the description.
  if (config.description === undefined && detectInjection(`${listed.title ?? ''}\n${description}`).length > 0) {
    throw new Error(`its description reads like instructions to the model; review it and give your own with tools["${mcpName}"].description to import it`);
  }
  const tool = defineTool({
    name,
    description: description.trim() === '' ? `The tool "${mcpName}" of the MCP server "${ctx.server}".` : description,
    input,
    scopes: [scope],
    effect,
    untrustedOutput: true,
    timeoutMs: ctx.timeoutMs,
    ...(config.sensitiveInputs ? { sensitiveInputs: config.sensitiveInputs } : {}),
    preview: (args) => ({ summary: `would call "${mcpName}" on the MCP server "${ctx.server}"`, details: { server: ctx.server, tool: mcpName, arguments: args } }),
    execute: (args, toolCtx) => callImported(ctx, name, mcpName, args, toolCtx.signal),
  });
  return { mcpName, tool, scope, effect, claimedEffect };
}

async function callImported(ctx: ImportContext, name: string, mcpName: string, args: Record<string, unknown>, signal: AbortSignal): Promise<string> {
  const status = ctx.status(mcpName);
  if (status !== 'current') {
    throw new McpServerError({
      server: ctx.server,
      tool: mcpName,
      kind: status === 'changed' ? 'tool-changed' : 'tool-removed',
      message: `The MCP server "${ctx.server}" ${status === 'changed' ? 'changed' : 'withdrew'} the tool "${mcpName}" after it was imported, so it is not called. Reconnect and review the new tool list before granting it again.`,
    });
  }
  if (ctx.closed()) {
    throw new McpServerError({ server: ctx.server, tool: mcpName, kind: 'connection', message: `The connection to the MCP server "${ctx.server}" is closed, so "${mcpName}" was not called. Reconnect with connectMcpServer.` });
  }
  let result: CallToolResult;
  try {
    // Claw's own tool timeout fires first (as ToolTimeoutError); the SDK's is a backstop.
    result = (await ctx.client.callTool({ name: mcpName, arguments: args }, undefined, { signal, timeout: ctx.timeoutMs + 1000 })) as CallToolResult;
  } catch (error) {
    if (error instanceof ClawError) throw error;
    if (signal.aborted) throw signal.reason instanceof ClawError ? signal.reason : new AbortedError('The MCP tool call was aborted.');
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) throw new ToolTimeoutError(name, ctx.timeoutMs);
    const closed = error instanceof McpError && error.code === ErrorCode.ConnectionClosed;
    throw new McpServerError({
      server: ctx.server,
      tool: mcpName,
      kind: closed ? 'connection' : 'protocol',
      message: `Calling "${mcpName}" on the MCP server "${ctx.server}" failed: ${error instanceof Error ? error.message : String(error)}.${closed ? ' The connection is closed; reconnect.' : ''}`,
      cause: error,
    });
  }
  const text = mcpResultText(result);
  if (result.isError === true) {
    // The server's error text is outside content like its results: it reaches the model wrapped.
    throw new McpServerError({ server: ctx.server, tool: mcpName, kind: 'tool-error', message: `The MCP tool "${mcpName}" reported an error:\n${wrapUntrusted(text, `mcp:${ctx.server}`)}` });
  }
  return text;
}
