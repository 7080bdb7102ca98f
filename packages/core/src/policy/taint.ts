import type { Message, MessageTrust } from '../model/messages';
import { findUntrustedInfluence } from './untrusted-content';

/**
 * The trust of a message: its own `trust` label, else what its role implies. Tool results marked `untrusted` and
 * recalled-memory sections are untrusted, the person's input and operator and skill instructions are trusted,
 * and what the model or a plain tool produced is `derived` (neither).
 */
export function trustOf(message: Message): MessageTrust {
  if (message.trust !== undefined) return message.trust;
  switch (message.role) {
    case 'user':
      return 'trusted';
    case 'system':
      // An unlabelled memory section may quote outside content; it is never evidence of what the person said.
      return message.part === 'memory' ? 'untrusted' : 'trusted';
    case 'tool':
      return message.untrusted ? 'untrusted' : 'derived';
    case 'assistant':
      return 'derived';
  }
}

interface TrustTexts {
  length: number;
  trusted: string;
  untrusted: string;
}

// Conversations only grow, so the joined texts are extended rather than rebuilt on every call.
const cache = new WeakMap<readonly Message[], TrustTexts>();

/** The conversation's text, split by trust (lower-cased, joined by newlines). */
export function textsByTrust(messages: readonly Message[]): { trusted: string; untrusted: string } {
  let texts = cache.get(messages);
  if (!texts || texts.length > messages.length) texts = { length: 0, trusted: '', untrusted: '' };
  for (let i = texts.length; i < messages.length; i++) {
    const message = messages[i]!;
    const trust = trustOf(message);
    if (trust === 'trusted') texts.trusted += `\n${message.content.toLowerCase()}`;
    else if (trust === 'untrusted') texts.untrusted += `\n${message.content.toLowerCase()}`;
  }
  texts.length = messages.length;
  cache.set(messages, texts);
  return texts;
}

/** True when some message of the conversation is untrusted. */
export function readUntrusted(messages: readonly Message[]): boolean {
  return textsByTrust(messages).untrusted !== '';
}

/**
 * String values of `input` (typically a call's sensitive arguments) that occur in untrusted messages and in no
 * trusted one: evidence that outside content steered the call.
 */
export function untrustedInfluence(input: unknown, messages: readonly Message[]): string[] {
  if (input === undefined) return [];
  const { trusted, untrusted } = textsByTrust(messages);
  return findUntrustedInfluence(input, untrusted, trusted);
}
