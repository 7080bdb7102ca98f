import { scopeMatches, scopeTemplateGrantable } from '../policy/scopes';
import type { ToolEffect } from '../tools/define-tool';
import type { AgentRuntime } from './agent-runtime';

/** What an agent may do, for a person to review before turning it on. */
export interface PermissionSummary {
  principal: string;
  environment: 'sandbox' | 'production';
  grants: { scope: string; description: string; tools: { name: string; effect: ToolEffect; skill?: string }[] }[];
  /** Tools that exist but are not offered, with the scopes they lack. */
  withheld: { name: string; skill?: string; missingScopes: string[] }[];
  /** The same, in plain sentences. */
  text: string;
}

const EFFECT_WORDS: Record<ToolEffect, string> = {
  read: 'reads data',
  write: 'changes data (needs approval in production)',
  external: 'acts outside, e.g. sends or posts (always needs approval)',
  deploy: 'deploys (always needs approval)',
};

/** Lists every granted scope, the tools it enables and their effects, and the tools withheld. */
export function describePermissions(rt: AgentRuntime): PermissionSummary {
  const registered = rt.registry.list();
  const described = new Map<string, string>();
  for (const skill of rt.skills) for (const [scope, description] of Object.entries(skill.scopes)) described.set(scope, description);
  const grants = rt.grants.map((grant) => {
    const tools = registered
      .filter(({ tool }) => tool.scopes.some((s) => scopeTemplateGrantable([grant], s)) && rt.offered.includes(tool))
      .map(({ tool, skill }) => ({ name: tool.name, effect: tool.effect, ...(skill !== undefined ? { skill } : {}) }));
    // A grant is documented by the declared scope it fills in (`slack:write:#ops` by `slack:write:{channel}`) or
    // that it widens (`email:*` by `email:read`).
    const description =
      described.get(grant) ??
      [...described].find(([scope]) => scopeMatches(scope.replace(/\{[^}]+\}/g, '*'), grant) || scopeMatches(grant, scope.replace(/\{[^}]+\}/g, 'x')))?.[1] ??
      'no skill documents this scope';
    return { scope: grant, description, tools };
  });
  const withheld = registered
    .filter(({ tool }) => !rt.offered.includes(tool))
    .map(({ tool, skill }) => ({ name: tool.name, ...(skill !== undefined ? { skill } : {}), missingScopes: tool.scopes.filter((s) => !scopeTemplateGrantable(rt.grants, s)) }));
  const lines = [
    `This agent acts for ${rt.principal.id} in the ${rt.environment} environment${rt.environment === 'sandbox' ? ' (side effects are previewed, never performed)' : ''}.`,
    ...(grants.length === 0 ? ['It is granted nothing: it can only answer from what it is told.'] : []),
    ...grants.map((g) => `- "${g.scope}" (${g.description}) enables ${g.tools.length === 0 ? 'no tool' : g.tools.map((t) => `${t.name}, which ${EFFECT_WORDS[t.effect]}`).join('; ')}.`),
    ...withheld.map((w) => `- ${w.name} is not available: it needs ${w.missingScopes.map((s) => `"${s}"`).join(', ')}.`),
  ];
  return { principal: rt.principal.id, environment: rt.environment, grants, withheld, text: lines.join('\n') };
}
