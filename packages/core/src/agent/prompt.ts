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
 * skill's instructions, recalled memory, then the user's input. Each system part is its own message so the meter
 * can count it under its own category.
 */
export function buildInitialMessages(options: {
  instructions: string;
  skills: readonly ConfiguredSkill[];
  memory: string;
  input: string;
}): Message[] {
  const messages: Message[] = [{ role: 'system', part: 'system', content: `${options.instructions}\n\n${UNTRUSTED_CONTENT_NOTICE}` }];
  for (const skill of options.skills) {
    if (skill.instructions.trim() !== '') {
      messages.push({ role: 'system', part: 'skill_instructions', content: `Skill "${skill.name}" (v${skill.version}):\n${skill.instructions}` });
    }
  }
  if (options.memory !== '') messages.push({ role: 'system', part: 'memory', content: options.memory });
  messages.push({ role: 'user', content: options.input });
  return messages;
}
