import * as core from '@claw/core';

type Counter = (text: string, encoding?: 'o200k_base') => number;

// Core's exact tokenizer when this version of @claw/core exports it; older cores lack it.
const exact = (core as unknown as { countTokens?: Counter }).countTokens;

/**
 * o200k_base tokens of a memory's text, counted once when it is written so recall's `maxTokens` cap costs nothing.
 * Uses core's `countTokens` (tiktoken) when available, else ceil(UTF-16 length / 4), the usual English approximation.
 */
export function countMemoryTokens(text: string): number {
  return typeof exact === 'function' ? exact(text, 'o200k_base') : Math.ceil(text.length / 4);
}
