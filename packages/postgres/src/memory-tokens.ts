import { countTokens } from '@claw/core';

/**
 * o200k_base tokens of a memory's text (core's exact tiktoken count), counted once when it is written so that
 * recall's `maxTokens` cap costs nothing at read time.
 */
export function countMemoryTokens(text: string): number {
  return countTokens(text, 'o200k_base');
}
