import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Agent, type ConfiguredSkill, type Tool } from '@claw/core';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { toCallToolResult } from './call-result';
import { offeredTools, toMcpTool } from './offered-tools';

/** What a Claw MCP server serves and as whom. */
export interface ClawMcpServerOptions {
  /**
   * The agent every call goes through: its principal, grants, environment, policy, approval handler or store,
   * audit log and alerts apply to MCP clients exactly as to its model.
   */
  agent: Agent;
  /** The configured skills to serve (the same ones the agent was built with). Only tools the agent offers are listed. */
  skills?: readonly ConfiguredSkill[];
  /** Tools given to the agent directly that should be served too. */
  tools?: readonly Tool[];
  /** Server name announced to clients. Default `claw`. */
  name?: string;
  /** Server version announced to clients. Default `0.1.0`. */
  version?: string;
  /** Instructions announced to clients. Default: the served skills' instructions. */
  instructions?: string;
}

/**
 * Builds an MCP server (the official SDK's `Server`) that lists the agent's offered tools, annotated from their
 * effect, and hands every `tools/call` — name and arguments untouched — to `agent.callTool`, so lookup, validation,
 * permissions, policy, approvals, sandbox previews and the audit log are the agent's own. The low-level `Server` is
 * used rather than `McpServer` because `McpServer` would validate arguments itself, outside that path.
 * Connect it to a transport (`serveMcpStdio`, `createMcpHttpHandler`) or your own.
 * @throws InvalidArgumentError when `agent` is missing.
 */
export function createClawMcpServer(options: ClawMcpServerOptions): Server {
  const { agent } = options;
  if (!agent || typeof (agent as Partial<Agent>).callTool !== 'function') {
    throw new InvalidArgumentError('createClawMcpServer needs an `agent` (new Agent({...})) whose tools it serves.');
  }
  const skills = options.skills ?? [];
  const served = offeredTools(agent, skills, options.tools ?? []);
  const instructions = options.instructions ?? skills.map((s) => s.instructions).filter((i) => i.trim() !== '').join('\n\n');
  const server = new Server(
    { name: options.name ?? 'claw', version: options.version ?? '0.1.0' },
    { capabilities: { tools: {} }, ...(instructions !== '' ? { instructions } : {}) },
  );
  // One run id per connection groups a client's calls in the audit log.
  const runId = `mcp-${randomUUID()}`;
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: served.map(toMcpTool) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const result = await agent.callTool(request.params.name, request.params.arguments ?? {}, {
      signal: extra.signal,
      runId,
      callId: `mcp-${String(extra.requestId)}-${randomUUID()}`,
    });
    return toCallToolResult(result);
  });
  return server;
}
