/**
 * A seeded pseudo-random generator (mulberry32) and pickers, so every benchmark run measures identical data.
 */

/** A generator of floats in [0, 1) from a 32-bit seed. */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough to make varied but reproducible text. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Lowercase hex of `length` digits, as in ids and hashes. */
export function hex(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789abcdef'[Math.floor(random() * 16)];
  return out;
}

/**
 * A Zipf-like picker: rank r is chosen with probability proportional to 1 / (r + offset), the shape of word
 * frequencies in real text (a few words very often, a long tail rarely).
 */
export function zipf<T>(items: readonly T[], random: Random, offset = 2): () => T {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  for (let r = 0; r < items.length; r++) cumulative[r] = total += 1 / (r + offset);
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}
