import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

/** The definition: JSON.stringify of a copy with keys sorted at every level. */
function reference(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) if ((v as Record<string, unknown>)[key] !== undefined) out[key] = sort((v as Record<string, unknown>)[key]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

describe('canonicalJson', () => {
  it('equals JSON.stringify of the key-sorted value, edge cases included', () => {
    const values: unknown[] = [
      { b: 1, a: [3, { d: undefined, c: null }], e: 'x"\\n\u2028', f: () => 1, g: new Date(0), h: NaN, i: -0 },
      [undefined, () => 1, Symbol('s'), { z: 1, y: [] }],
      'text',
      42,
      null,
      true,
      { nested: { deeper: { list: [1, 'two', { three: 3 }] } }, '': 'empty key', 'ü': 'unicode' },
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(reference(value));
    for (let i = 0; i < 200; i++) {
      const random = JSON.parse(JSON.stringify({ [`k${(i * 7) % 13}`]: i, list: Array.from({ length: i % 5 }, (_, j) => ({ [`x${j}`]: j * i, s: `v${i}` })), flag: i % 2 === 0 }));
      expect(canonicalJson(random)).toBe(reference(random));
    }
  });
});
