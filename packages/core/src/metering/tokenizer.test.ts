import { get_encoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { countTokens, ENCODINGS } from './tokenizer';

const samples: Record<string, string> = {
  prose: 'The quick brown fox jumps over the lazy dog. It\'s what we\'ll do; THEY\'RE sure. Don\'t panic!\n\nA second paragraph, with 1234567 digits.',
  code: 'export function add(a: number, b: number): number {\n\treturn a + b; // sum\n}\n\nconst xs = [1, 2, 3].map((x) => x ** 2);\n',
  json: JSON.stringify({ id: 'msg_01', to: ['a@example.com'], nested: { ok: true, n: null, list: [1.5, -2, 'three'] } }, null, 2),
  unicode: 'Ünïcödé façade — naïve café. 日本語のテキストです。 Привет, мир! مرحبا بالعالم. \u00a0nbsp\u2003em\u0085nel\ufeffbom',
  emoji: '👩‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 🎉🎉🎉 party, 👍🏽 thumbs',
  whitespace: '   leading\n\n\n   \t\ttabs   trailing   \r\n',
  specialText: 'Text with <|endoftext|> and <|fim_prefix|> treated as ordinary text.',
  longRun: `${' '.repeat(3000)}x${'a'.repeat(2000)}`,
};

const references = ENCODINGS.map((e) => [e, get_encoding(e)] as const);
afterAll(() => references.forEach(([, enc]) => enc.free()));

describe('countTokens', () => {
  for (const [encoding, reference] of references) {
    it.each(Object.entries(samples))(`${encoding}: matches tiktoken on %s`, (_name, text) => {
      expect(countTokens(text, encoding)).toBe(reference.encode_ordinary(text).length);
    });

    it(`${encoding}: matches tiktoken on 5,000 fuzzed strings`, () => {
      const alphabet = [...'aZ9 \n\t\r\'".,;:!?/\\-_()[]{}<>@#$%^&*+=~`|é日🎉\ufeff\u0085\u00a0\u2028\u200bÀß\u0301'];
      let seed = 1234;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let i = 0; i < 5000; i++) {
        let text = '';
        for (let j = 0, len = 1 + Math.floor(random() * 30); j < len; j++) text += alphabet[Math.floor(random() * alphabet.length)];
        expect(countTokens(text, encoding), JSON.stringify(text)).toBe(reference.encode_ordinary(text).length);
      }
    });
  }

  it('counts the empty string as zero and rejects bad arguments', () => {
    expect(countTokens('')).toBe(0);
    expect(() => countTokens(42 as never)).toThrow(/needs a string/);
    expect(() => countTokens('x', 'p50k_base' as never)).toThrow(/Unknown encoding/);
  });
});
