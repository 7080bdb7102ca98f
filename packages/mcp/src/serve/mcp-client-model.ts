import { InvalidArgumentError, type ModelProvider } from '@claw/core';

/**
 * The model of an agent that only serves tools over MCP: the client's own model chooses the calls, so this one is
 * never asked. `agent.run` on such an agent fails with InvalidArgumentError; `agent.callTool` works as usual.
 * Pass a real provider instead when the same agent should also run on its own.
 */
export function mcpClientModel(): ModelProvider {
  return {
    provider: 'mcp-client',
    model: 'gpt-4o-mini',
    generate: () =>
      Promise.reject(new InvalidArgumentError('This agent serves its tools over MCP and has no model of its own: build it with a real ModelProvider to call agent.run.')),
  };
}
