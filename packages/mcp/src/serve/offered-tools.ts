import { toolInputJsonSchema, type Agent, type ConfiguredSkill, type Tool } from '@claw/core';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { annotationsForEffect } from './tool-annotations';

/**
 * The tools an MCP client may see: those of the given skills and tools that the agent offers (its grants cover
 * them). Withheld tools are not listed, exactly as they are not offered to a model.
 */
export function offeredTools(agent: Agent, skills: readonly ConfiguredSkill[], tools: readonly Tool[]): Tool[] {
  const permissions = agent.describePermissions();
  const granted = new Set(permissions.grants.flatMap((g) => g.tools.map((t) => t.name)));
  const withheld = new Set(permissions.withheld.map((w) => w.name));
  const candidates = [...skills.flatMap((s) => s.tools), ...tools];
  const seen = new Set<string>();
  return candidates.filter((tool) => {
    if (seen.has(tool.name)) return false;
    seen.add(tool.name);
    return granted.has(tool.name) && !withheld.has(tool.name);
  });
}

/** A Claw tool as an MCP tool listing: name, description, the same JSON Schema a model gets, and annotations. */
export function toMcpTool(tool: Tool): McpTool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: toolInputJsonSchema(tool) as McpTool['inputSchema'],
    annotations: annotationsForEffect(tool.effect, tool.name),
  };
}
