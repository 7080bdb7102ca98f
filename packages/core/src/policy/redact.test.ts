import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactText } from './redact';

describe('redactText', () => {
  it.each([
    ['Stripe live key', 'charge with sk_live_51HxQpLKj2vY8aBcDeFgHiJkL now', 'charge with [REDACTED] now'],
    ['Stripe restricted key', 'rk_test_4eC39HqLyjWDarjtT1zdp7dc', REDACTED],
    ['AWS access key id', 'id AKIAIOSFODNN7EXAMPLE', 'id [REDACTED]'],
    ['AWS secret access key', 'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end', 'secret [REDACTED] end'],
    ['Google API key', 'key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'key=[REDACTED]'],
    [
      'JWT',
      'Authorization eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok',
      'Authorization [REDACTED] ok',
    ],
    ['database URL', 'connect to postgres://claw:hunter2pass@db.internal:5432/claw', 'connect to postgres://claw:[REDACTED]@db.internal:5432/claw'],
    ['redis URL without user', 'redis://:s3cr3tpw@cache:6379', 'redis://:[REDACTED]@cache:6379'],
  ])('removes a %s', (_name, text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it('leaves digests, ids and ordinary URLs alone', () => {
    const text = 'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, run 3f2c1a9e-7b1d-4c55-9a2e-1f0e4d3c2b1a, https://example.com/a:b@c';
    expect(redactText('sha 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12')).toBe('sha 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12');
    expect(redactText(text)).toBe(text);
  });

  it('redacts inside nested values', () => {
    expect(redactSecrets({ input: { body: 'use sk_live_abcdefghijklmnop' }, list: ['AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'] })).toEqual({
      input: { body: `use ${REDACTED}` },
      list: [REDACTED],
    });
  });
});
