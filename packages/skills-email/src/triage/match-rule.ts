import type { MessageSummary } from '../mailbox/mailbox';
import type { TriageRule } from '../skill/email-config';

function senderMatches(pattern: string, address: string): boolean {
  const p = pattern.toLowerCase();
  const a = address.toLowerCase();
  if (p.includes('@') && !p.startsWith('@')) return a === p;
  const domain = p.replace(/^@/, '');
  const own = a.slice(a.lastIndexOf('@') + 1);
  return own === domain || own.endsWith(`.${domain}`);
}

/**
 * Checks one rule against a message. Returns the conditions that held, in words (for the triage report), or
 * undefined when the rule does not apply.
 */
export function explainRuleMatch(rule: TriageRule, summary: MessageSummary): string | undefined {
  const reasons: string[] = [];
  if (rule.from) {
    const sender = summary.from.map((f) => f.address).find((a) => rule.from!.some((p) => senderMatches(p, a)));
    if (!sender) return undefined;
    reasons.push(`sender ${sender}`);
  }
  if (rule.subjectContains) {
    const piece = rule.subjectContains.find((p) => summary.subject.toLowerCase().includes(p.toLowerCase()));
    if (piece === undefined) return undefined;
    reasons.push(`subject contains "${piece}"`);
  }
  if (rule.hasHeader) {
    const header = rule.hasHeader.find((h) => summary.headers[h] !== undefined);
    if (!header) return undefined;
    reasons.push(`has ${header} header`);
  }
  return reasons.join(', ');
}

/** The first rule that applies to the message, with why; rules are tried in configured order. */
export function firstMatchingRule(rules: readonly TriageRule[], summary: MessageSummary): { rule: TriageRule; why: string } | undefined {
  for (const rule of rules) {
    const why = explainRuleMatch(rule, summary);
    if (why !== undefined) return { rule, why };
  }
  return undefined;
}
