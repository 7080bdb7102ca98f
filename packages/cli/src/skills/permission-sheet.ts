import type { ToolEffect } from '@claw/core';
import type { ReviewedTool, SkillReview } from './review-skills';

const EFFECTS: Record<ToolEffect, string> = {
  read: 'reads data, changes nothing',
  write: 'changes data in your systems',
  external: 'acts outside (sends, posts) where others see it',
  deploy: 'deploys software',
};

/** Markdown a person can paste into a review: scopes, tools and effects, approvals in production, and what the grants enable and withhold. */
export function permissionSheet(review: SkillReview): string {
  const { permissions } = review;
  const names = review.skills.map((s) => `${s.name} ${s.version}`).join(', ');
  const out: string[] = [`# Permission review: ${names}`, ''];
  for (const skill of review.skills) out.push(`- **${skill.name} ${skill.version}**: ${cell(skill.description)}`);
  out.push('', '## Scopes', '', 'Every scope the skill may ask for. Nothing is granted unless the operator grants it.', '');
  out.push('| scope | what it allows | tools needing it | granted |', '|---|---|---|---|');
  const granted = new Set(permissions.grants.flatMap((g) => g.tools.map((t) => t.name)));
  for (const skill of review.skills) {
    for (const [scope, description] of Object.entries(skill.scopes)) {
      const tools = review.tools.filter((t) => t.skill === skill.name && t.scopes.some((s) => s === scope || sameTemplate(s, scope)));
      const isGranted = tools.length > 0 && tools.every((t) => granted.has(t.name)) ? 'yes' : tools.some((t) => granted.has(t.name)) ? 'partly' : 'no';
      out.push(`| \`${scope}\` | ${cell(description)} | ${tools.map((t) => `\`${t.name}\``).join(', ') || '-'} | ${isGranted} |`);
    }
  }
  out.push('', '## Tools', '', '| tool | effect | scopes | in production | output |', '|---|---|---|---|---|');
  for (const tool of review.tools) {
    out.push(`| \`${tool.name}\` | ${tool.effect}: ${EFFECTS[tool.effect]} | ${tool.scopes.map((s) => `\`${s}\``).join(', ') || 'none'} | ${cell(production(tool))} | ${tool.untrustedOutput ? 'untrusted (marked as data, never instructions)' : 'trusted'} |`);
  }
  out.push('', 'Descriptions the model is given:', '');
  for (const tool of review.tools) out.push(`- \`${tool.name}\`: ${cell(tool.description)}${tool.sensitiveInputs.length > 0 ? ` Sensitive inputs (a value copied from untrusted content waits for a person): ${tool.sensitiveInputs.map((f) => `\`${f}\``).join(', ')}.` : ''}`);
  out.push('', `## With ${review.grants.length === 0 ? 'no grants' : `grants ${review.grants.map((g) => `\`${g}\``).join(', ')}`} (${permissions.environment})`, '');
  const enabled = permissions.grants.flatMap((g) => g.tools.map((t) => ({ ...t, scope: g.scope })));
  if (enabled.length === 0) out.push('Enabled: no tool. The agent can only answer from what it is told.');
  else {
    out.push('Enabled:', '');
    for (const grant of permissions.grants) out.push(`- \`${grant.scope}\` (${cell(grant.description)}): ${grant.tools.map((t) => `\`${t.name}\``).join(', ') || 'no tool'}`);
  }
  out.push('');
  if (permissions.withheld.length === 0) out.push('Withheld: nothing.');
  else {
    out.push('Withheld (not offered to the model, refused if called):', '');
    for (const w of permissions.withheld) out.push(`- \`${w.name}\`: needs ${w.missingScopes.map((s) => `\`${s}\``).join(', ')}`);
  }
  out.push('', '> ' + permissions.text.split('\n').join('\n> '));
  return out.join('\n');
}

function production(tool: ReviewedTool): string {
  const p = tool.production;
  const base = p.decision === 'allow' ? 'runs without approval' : p.decision === 'deny' ? `denied (${p.reason})` : `needs approval${(p.approversRequired ?? 1) > 1 ? ` by ${p.approversRequired} people` : ''} (${p.reason})`;
  const rules = tool.conditionalRules.map((r) => `${r.verdict === 'approve' ? `needs approval${(r.approvers ?? 1) > 1 ? ` by ${r.approvers} people` : ''}` : r.verdict === 'deny' ? 'denied' : 'allowed'} when ${r.reason}`);
  return [base, ...rules].join('; ');
}

/** `slack:write:{channel}` and `slack:write:{channel}` name the same declared scope even if placeholders differ. */
function sameTemplate(a: string, b: string): boolean {
  return a.replace(/\{[^}]+\}/g, '{}') === b.replace(/\{[^}]+\}/g, '{}');
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
