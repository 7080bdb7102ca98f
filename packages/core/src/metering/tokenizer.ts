import { get_encoding, type Tiktoken } from 'tiktoken';
import { InvalidArgumentError } from '../errors';

/** The tokenizer encodings Claw counts with. */
export type Encoding = 'o200k_base' | 'cl100k_base';

/** Every supported encoding. */
export const ENCODINGS: readonly Encoding[] = ['o200k_base', 'cl100k_base'];

/*
 * tiktoken counts in two stages: a regex splits text into chunks, then byte-pair encoding runs on each chunk
 * independently. The count of a text is therefore the sum of its chunks' counts. We run the split in JavaScript
 * with tiktoken's own patterns and cache each distinct chunk's count, so words seen before cost a map lookup and
 * only new chunks cross into tiktoken's WASM. Two translations keep the split identical to tiktoken's Rust regex:
 * `\s` becomes `\p{White_Space}` (JavaScript's `\s` also matches U+FEFF and misses U+0085), and the inline
 * case-insensitive group `(?i:'s|...)`, which Node 20 does not support, is spelled out.
 */
const CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
const WS = '\\p{White_Space}';
const NOT_WS = '\\P{White_Space}';

const PATTERNS: Record<Encoding, RegExp> = {
  o200k_base: new RegExp(
    [
      `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+${CONTRACTIONS}?`,
      `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*${CONTRACTIONS}?`,
      `\\p{N}{1,3}`,
      ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n/]*`,
      `${WS}*[\\r\\n]+`,
      `${WS}+(?!${NOT_WS})`,
      `${WS}+`,
    ].join('|'),
    'gu',
  ),
  cl100k_base: new RegExp(
    [
      CONTRACTIONS,
      `[^\\r\\n\\p{L}\\p{N}]?\\p{L}+`,
      `\\p{N}{1,3}`,
      ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*`,
      `${WS}*[\\r\\n]+`,
      `${WS}+(?!${NOT_WS})`,
      `${WS}+`,
    ].join('|'),
    'gu',
  ),
};

/** Distinct chunks remembered per encoding before the cache is cleared (bounds memory at a few MB). */
const CHUNK_CACHE_LIMIT = 200_000;
/** Whole recurring texts (system prompts) remembered per encoding. */
const TEXT_CACHE_LIMIT = 1_000;

/**
 * Exact token counts for one encoding. One instance per encoding per process ({@link tokenCounter}):
 * tiktoken's WASM encoders hold ~22 MB each and are never freed, so creating them per call would leak.
 */
export class TokenCounter {
  readonly encoding: Encoding;
  private encoder: Tiktoken | undefined;
  private readonly pattern: RegExp;
  private readonly chunks = new Map<string, number>();
  private readonly texts = new Map<string, number>();

  constructor(encoding: Encoding) {
    this.encoding = encoding;
    this.pattern = new RegExp(PATTERNS[encoding].source, PATTERNS[encoding].flags);
  }

  /** Number of tokens in `text`, identical to tiktoken's `encode_ordinary(text).length`. */
  count(text: string): number {
    if (text.length === 0) return 0;
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    let total = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const chunk = match[0];
      let n = this.chunks.get(chunk);
      if (n === undefined) {
        n = this.bpe(chunk);
        if (this.chunks.size >= CHUNK_CACHE_LIMIT) this.chunks.clear();
        this.chunks.set(chunk, n);
      }
      total += n;
    }
    return total;
  }

  /**
   * Like {@link count}, remembering whole texts (system prompts, skill instructions) so a text seen in an earlier
   * run costs a map lookup. Only for texts that recur; conversation text goes through {@link count}.
   */
  countRecurring(text: string): number {
    let n = this.texts.get(text);
    if (n === undefined) {
      n = this.count(text);
      if (this.texts.size >= TEXT_CACHE_LIMIT) this.texts.clear();
      this.texts.set(text, n);
    }
    return n;
  }

  /** The token ids of `text` from tiktoken itself (used by `docs/metering.md` examples and tests). */
  encode(text: string): Uint32Array {
    return this.tiktoken().encode_ordinary(text);
  }

  private bpe(chunk: string): number {
    // A one-character chunk of ASCII is always a single token in both encodings.
    if (chunk.length === 1 && chunk.charCodeAt(0) < 128) return 1;
    return this.tiktoken().encode_ordinary(chunk).length;
  }

  private tiktoken(): Tiktoken {
    this.encoder ??= get_encoding(this.encoding);
    return this.encoder;
  }
}

const counters = new Map<Encoding, TokenCounter>();

/** The process-wide counter of an encoding. */
export function tokenCounter(encoding: Encoding): TokenCounter {
  let counter = counters.get(encoding);
  if (!counter) {
    if (!ENCODINGS.includes(encoding)) {
      throw new InvalidArgumentError(`Unknown encoding ${JSON.stringify(encoding)}; use one of ${ENCODINGS.join(', ')}.`);
    }
    counter = new TokenCounter(encoding);
    counters.set(encoding, counter);
  }
  return counter;
}

/**
 * Counts tokens exactly as tiktoken does for the encoding (special-token text such as `<|endoftext|>` is counted
 * as ordinary text, as it is when it appears in user content).
 * @throws InvalidArgumentError for an unknown encoding or a non-string text.
 */
export function countTokens(text: string, encoding: Encoding = 'o200k_base'): number {
  if (typeof text !== 'string') throw new InvalidArgumentError(`countTokens needs a string, got ${typeof text}.`);
  return tokenCounter(encoding).count(text);
}
