/**
 * Fingerprints of a run's opening prompt, so reports can find the same request sent again: an exact hash of the
 * normalised text and a similarity sketch that stays close when a few characters change. Neither reveals the text.
 */

// Zero-width and formatting characters (ZWSP/ZWNJ/ZWJ, word joiner, BOM, soft hyphen, bidi marks and isolates,
// Mongolian vowel separator, invisible operators) change a string without changing what a person reads.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

/**
 * The form of a prompt that repeats when a person sends "the same" request: Unicode NFKC (full-width and
 * compatibility forms folded), invisible characters removed, lower case, every run of whitespace one space, trimmed.
 */
export function normalisePrompt(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Bits in a {@link promptSketch}. */
const SKETCH_BITS = 64;

/**
 * A 64-bit SimHash (16 hex digits) of the normalised text's character trigrams: texts that share most trigrams get
 * sketches a few bits apart, so a prompt with a counter, a tag or some noise appended stays near the original.
 */
export function promptSketch(text: string): string {
  const normalised = ` ${normalisePrompt(text)} `;
  const weights = new Int32Array(SKETCH_BITS);
  const chars = [...normalised];
  for (let i = 0; i + 3 <= chars.length; i++) {
    const gram = chars[i]! + chars[i + 1]! + chars[i + 2]!;
    const low = fnv1a(gram, 0x811c9dc5);
    const high = fnv1a(gram, 0x01000193 ^ 0x5bd1e995);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (low >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (high >>> bit) & 1 ? 1 : -1;
    }
  }
  let low = 0;
  let high = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (weights[bit]! > 0) low |= 1 << bit;
    if (weights[bit + 32]! > 0) high |= 1 << bit;
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

/** How many of the 64 bits two {@link promptSketch}es differ in (64 for a malformed sketch). */
export function sketchDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/.test(a) || !/^[0-9a-f]{16}$/.test(b)) return SKETCH_BITS;
  return popcount(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popcount(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16));
}

function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // A final avalanche so nearby trigrams do not share low bits.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  return (hash ^ (hash >>> 16)) >>> 0;
}

function popcount(value: number): number {
  let v = value >>> 0;
  let n = 0;
  while (v) {
    v &= v - 1;
    n++;
  }
  return n;
}
