import { longestModelMatch } from './model-name';
import type { Encoding } from './tokenizer';

/** The encoding used to estimate a model's tokens, and whether it is that model's own tokenizer. */
export interface EncodingChoice {
  encoding: Encoding;
  fidelity: 'exact' | 'approximate';
}

/**
 * Model names and their tokenizers, matched as {@link canonicalModelName} describes (case ignored, router prefix
 * dropped, the longest entry that is the name or a `-`/`:` variant of it wins). Models with no public tokenizer
 * (Anthropic's, most open-weight models behind OpenAI-compatible servers) fall back to `o200k_base`, labelled
 * `approximate`: their records say `estimated` unless the provider reports usage.
 */
export const MODEL_ENCODINGS: readonly { prefix: string; encoding: Encoding }[] = [
  { prefix: 'gpt-5', encoding: 'o200k_base' },
  { prefix: 'gpt-5.1', encoding: 'o200k_base' },
  { prefix: 'gpt-4.5', encoding: 'o200k_base' },
  { prefix: 'gpt-4.1', encoding: 'o200k_base' },
  { prefix: 'gpt-4o', encoding: 'o200k_base' },
  { prefix: 'chatgpt-4o', encoding: 'o200k_base' },
  { prefix: 'o1', encoding: 'o200k_base' },
  { prefix: 'o3', encoding: 'o200k_base' },
  { prefix: 'o4', encoding: 'o200k_base' },
  { prefix: 'o4-mini', encoding: 'o200k_base' },
  { prefix: 'gpt-4', encoding: 'cl100k_base' },
  { prefix: 'gpt-3.5', encoding: 'cl100k_base' },
  { prefix: 'gpt-35', encoding: 'cl100k_base' },
  { prefix: 'text-embedding-3', encoding: 'cl100k_base' },
];

/** The fallback for models not in {@link MODEL_ENCODINGS}. */
export const FALLBACK_ENCODING: Encoding = 'o200k_base';

/**
 * Picks the encoding for a model name: `gpt-4o`, `GPT-4o-2024-08-06` and `openai/gpt-4o` are all `o200k_base`,
 * exact; a name no entry matches gets {@link FALLBACK_ENCODING}, approximate.
 */
export function encodingForModel(model: string): EncodingChoice {
  const prefix = longestModelMatch(model, MODEL_ENCODINGS.map((entry) => entry.prefix));
  const hit = prefix === undefined ? undefined : MODEL_ENCODINGS.find((entry) => entry.prefix === prefix);
  return hit ? { encoding: hit.encoding, fidelity: 'exact' } : { encoding: FALLBACK_ENCODING, fidelity: 'approximate' };
}
