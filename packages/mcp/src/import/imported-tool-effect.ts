import type { ToolEffect } from '@claw/core';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

const RANK: Record<ToolEffect, number> = { read: 0, write: 1, external: 2, deploy: 3 };

/**
 * What a server's annotations claim about a tool, in Claw's terms, reading absent hints as the protocol's defaults
 * (not read-only, destructive, open world): `readOnlyHint` → `read`; a closed world (`openWorldHint: false`) →
 * `write`; anything else → `external`. An unannotated tool is therefore `external`.
 */
export function effectFromAnnotations(annotations: ToolAnnotations | undefined): ToolEffect {
  if (annotations?.readOnlyHint === true) return 'read';
  if (annotations?.openWorldHint === false) return 'write';
  return 'external';
}

/** The more restricted of two effects (`read` < `write` < `external` < `deploy`). */
export function stricterEffect(a: ToolEffect, b: ToolEffect): ToolEffect {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The effect an imported tool gets. Annotations can only make a tool more restricted: the starting point is the
 * operator's `effect`, else `external`, and a claimed effect below it counts only when the operator confirmed the
 * annotations (`trustAnnotations`). So a server saying `readOnlyHint` cannot escape approval by saying so.
 */
export function importedToolEffect(annotations: ToolAnnotations | undefined, operator: { effect?: ToolEffect; trustAnnotations?: boolean }): ToolEffect {
  const claimed = effectFromAnnotations(annotations);
  if (operator.effect !== undefined) return stricterEffect(operator.effect, claimed);
  return operator.trustAnnotations === true ? claimed : stricterEffect('external', claimed);
}
