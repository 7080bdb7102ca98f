/**
 * @claw/mcp — Claw and the Model Context Protocol, on the official `@modelcontextprotocol/sdk`: serve an agent's
 * skills as an MCP server (stdio, Streamable HTTP) with every call going through the agent's policy; import an MCP
 * server's tools as Claw tools that are scoped, ungranted by default and untrusted; and load Agent Skills
 * (SKILL.md folders) as Claw skills whose `allowed-tools` is enforced by policy.
 * @packageDocumentation
 */
export { mcpClientModel } from './serve/mcp-client-model';
export { createClawMcpServer, type ClawMcpServerOptions } from './serve/claw-mcp-server';
export { serveMcpStdio, type RunningMcpServer } from './serve/serve-stdio';
export { createMcpHttpHandler, serveMcpHttp, type McpHttpOptions, type RunningMcpHttpServer } from './serve/serve-http';
export { toCallToolResult, CLAW_META } from './serve/call-result';
export { annotationsForEffect } from './serve/tool-annotations';
export { offeredTools, toMcpTool } from './serve/offered-tools';
export { connectMcpServer, type ConnectMcpServerOptions, type McpConnection, type McpToolChanges } from './import/connect-mcp-server';
export { type ImportedToolConfig, type ImportedMcpTool, defaultToolName } from './import/import-tool';
export { effectFromAnnotations, importedToolEffect, stricterEffect } from './import/imported-tool-effect';
export { jsonSchemaInput } from './import/json-schema-input';
export { mcpResultText } from './import/mcp-result-text';
export type { McpTransportConfig, McpStdioTransportConfig, McpHttpTransportConfig } from './import/client-transport';
export { McpServerError, type McpServerErrorKind } from './errors/mcp-server-error';
export { AgentSkillFormatError } from './errors/agent-skill-format-error';
export { parseSkillMarkdown, type AgentSkillDocument, type AgentSkillFrontmatter } from './agent-skills/parse-skill-md';
export { readAgentSkill, loadAgentSkill, agentSkillToClaw, type AgentSkillFolder, type LoadAgentSkillOptions } from './agent-skills/load-agent-skill';
