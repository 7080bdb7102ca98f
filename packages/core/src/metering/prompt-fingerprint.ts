/**
 * Fingerprints of a run's opening prompt, so reports can find the same request sent again: an exact hash of the
 * normalised text and a similarity sketch that stays close when a few characters change. Neither reveals the text.
 */

// Zero-width and formatting characters (ZWSP/ZWNJ/ZWJ, word joiner, BOM, soft hyphen, bidi marks and isolates,
// Mongolian vowel separator, invisible operators) change a string without changing what a person reads.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

// Noise people append to make a request look new: a `#tag` ("#3", "#a7"), a bracketed counter ("(2)", "[run 7]"),
// trailing punctuation or symbols ("!!!", "...", "?"). A plain trailing number ("top 5") is part of the request.
const SUFFIX_NOISE = /(?:\s*#[\p{L}\p{N}]{1,6}|\s*[(\[{][^()[\]{}]{0,12}[)\]}]|[\s\p{P}\p{S}])+$/u;

/**
 * The form of a prompt that repeats when a person sends "the same" request: Unicode NFKC (full-width and
 * compatibility forms folded), invisible characters removed, lower case, every run of whitespace one space, and
 * trailing noise removed (a `#tag`, a bracketed counter, trailing punctuation and symbols).
 */
export function normalisePrompt(text: string): string {
  const plain = text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().replace(/\s+/gu, ' ').trim();
  const stripped = plain.replace(SUFFIX_NOISE, '');
  // A prompt that is nothing but "noise" ("#1", "?") is kept as it was.
  return stripped === '' ? plain : stripped;
}

/** Minimum hashes in a {@link promptSketch}, one byte (two hex digits) each. */
export const SKETCH_SIZE = 32;

/**
 * A MinHash sketch of the normalised prompt's character trigrams: {@link SKETCH_SIZE} one-byte minimums, as hex.
 * The share of positions two sketches agree on estimates how many trigrams the prompts share (their Jaccard
 * similarity), so a prompt with a word or some noise added stays close to the original while the text itself
 * cannot be read back.
 */
export function promptSketch(text: string): string {
  const chars = [...` ${normalisePrompt(text)} `];
  const minimums = new Uint32Array(SKETCH_SIZE).fill(0xffffffff);
  const seen = new Set<number>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    const base = fnv1a(chars[i]! + chars[i + 1]! + chars[i + 2]!);
    if (seen.has(base)) continue;
    seen.add(base);
    for (let k = 0; k < SKETCH_SIZE; k++) {
      const value = mix(base ^ SEEDS[k]!);
      if (value < minimums[k]!) minimums[k] = value;
    }
  }
  let hex = '';
  for (let k = 0; k < SKETCH_SIZE; k++) hex += (minimums[k]! & 0xff).toString(16).padStart(2, '0');
  return hex;
}

/** Estimated share of trigrams two prompts share, 0..1, from their {@link promptSketch}es (0 for a malformed one). */
export function sketchSimilarity(a: string, b: string): number {
  if (a.length !== SKETCH_SIZE * 2 || b.length !== SKETCH_SIZE * 2 || !HEX.test(a) || !HEX.test(b)) return 0;
  let same = 0;
  for (let k = 0; k < SKETCH_SIZE * 2; k += 2) if (a[k] === b[k] && a[k + 1] === b[k + 1]) same++;
  return same / SKETCH_SIZE;
}

const HEX = /^[0-9a-f]+$/;

/** Fixed seeds, one per minimum (from a splitmix-style sequence), so sketches are comparable across processes. */
const SEEDS = Array.from({ length: SKETCH_SIZE }, (_, k) => mix(0x9e3779b9 * (k + 1)));

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** murmur3's finaliser: every input bit affects every output bit. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
