import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The text a model reads from an MCP tool result: text blocks as they are, other blocks (images, audio, resources)
 * described in one line, and structured content as JSON when there is no text. The caller wraps it as untrusted.
 */
export function mcpResultText(result: CallToolResult): string {
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'image':
      case 'audio':
        parts.push(`[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes]`);
        break;
      case 'resource_link':
        parts.push(`[resource ${block.uri}${block.name ? ` "${block.name}"` : ''}]`);
        break;
      case 'resource':
        parts.push('text' in block.resource && typeof block.resource.text === 'string' ? block.resource.text : `[resource ${block.resource.uri}]`);
        break;
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  return parts.join('\n');
}
