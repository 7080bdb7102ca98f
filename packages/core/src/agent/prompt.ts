import type { Message } from '../model/messages';
import type { ConfiguredSkill } from '../skills/define-skill';
import type { Principal } from '../policy/principal';
import { UNTRUSTED_CONTENT_NOTICE } from '../policy/untrusted-content';

/** The default operator prompt when none is given. */
export function defaultInstructions(principal: Principal): string {
  return `You are an assistant acting on behalf of ${principal.displayName ?? principal.id}. Use the tools you are given when they help; answer plainly when you are done.`;
}

/**
 * The messages a run starts with: the operator's instructions and the untrusted-content notice, each enabled
 * skill's instructions, recalled memory, then the user's input, each labelled with its trust and source. Each system part is its own message so the meter
 * can count it under its own category.
 */
export function buildInitialMessages(options: {
  instructions: string;
  skills: readonly ConfiguredSkill[];
  /** The recalled-memory section, and whether any memory in it was made from untrusted content. */
  memory: { text: string; untrusted: boolean };
  input: string;
}): Message[] {
  const messages: Message[] = [{ role: 'system', part: 'system', content: `${options.instructions}\n\n${UNTRUSTED_CONTENT_NOTICE}`, trust: 'trusted', source: 'operator' }];
  for (const skill of options.skills) {
    if (skill.instructions.trim() !== '') {
      messages.push({ role: 'system', part: 'skill_instructions', content: `Skill "${skill.name}" (v${skill.version}):\n${skill.instructions}`, trust: 'trusted', source: `skill:${skill.name}` });
    }
  }
  // Memory keeps the trust of what it was made from: a section quoting outside content never counts as the person's word.
  if (options.memory.text !== '') messages.push({ role: 'system', part: 'memory', content: options.memory.text, trust: options.memory.untrusted ? 'untrusted' : 'trusted', source: 'memory' });
  messages.push({ role: 'user', content: options.input, trust: 'trusted', source: 'user' });
  return messages;
}
