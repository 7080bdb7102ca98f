import { describe, expect, it } from 'vitest';
import { secretSealer } from './seal-secrets';

const KEY = 'a host secret of at least thirty-two bytes';

describe('secretSealer', () => {
  const state = {
    messages: [{ role: 'user', content: 'deploy with sk_live_51HxQpLKj2vY8aBcDeFg and postgres://app:hunter2pass@db:5432/app' }],
    input: { apiKey: { nested: 'x' }, token: 'plain-token-value' },
  };

  it('stores no secret in clear and restores the exact value with the key', () => {
    const sealer = secretSealer(KEY);
    const sealed = sealer.seal(state);
    const text = JSON.stringify(sealed);
    expect(text).not.toMatch(/sk_live_|hunter2pass|plain-token-value/);
    expect(text).toContain('[SEALED:v1:');
    expect(sealer.unseal(JSON.parse(text))).toEqual(state);
  });

  it('cannot be opened with another key, and leaves unknown tokens untouched', () => {
    const sealed = secretSealer(KEY).seal(state);
    const other = secretSealer('another host secret, also thirty-two bytes');
    expect(other.unseal(sealed)).toEqual(sealed);
    expect(secretSealer(KEY).unseal({ text: '[SEALED:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA]' })).toEqual({ text: '[SEALED:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA]' });
  });

  it('refuses a short key', () => {
    expect(() => secretSealer('short')).toThrow(/at least 32 bytes/);
  });
});
