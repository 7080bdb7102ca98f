import type { ToolEffect } from '@claw/core';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/**
 * MCP tool annotations for a Claw tool, derived from its `effect` alone: `read` is read-only; `write` may change
 * data; `external` and `deploy` reach outside and may not be undone. Every hint is spelled out (none left to the
 * protocol's defaults). They inform the client; Claw still decides every call itself.
 */
export function annotationsForEffect(effect: ToolEffect, title?: string): ToolAnnotations {
  const hints: Record<ToolEffect, ToolAnnotations> = {
    read: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
    write: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    external: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    deploy: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  };
  return { ...(title !== undefined ? { title } : {}), ...hints[effect] };
}
