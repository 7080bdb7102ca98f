import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from './verify-signature';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
const now = 1_746_867_600_000;
const timestamp = String(now / 1000);
const sign = (t: string, b: string, s = secret) => `v0=${createHmac('sha256', s).update(`v0:${t}:${b}`).digest('hex')}`;

describe('verifySlackSignature', () => {
  it('accepts a request signed with the signing secret', () => {
    expect(verifySlackSignature({ signingSecret: secret, body, timestamp, signature: sign(timestamp, body), now })).toBe(true);
  });

  it('refuses a changed body, another secret, a missing header, or an old timestamp', () => {
    expect(verifySlackSignature({ signingSecret: secret, body: `${body}x`, timestamp, signature: sign(timestamp, body), now })).toBe(false);
    expect(verifySlackSignature({ signingSecret: secret, body, timestamp, signature: sign(timestamp, body, 'other'), now })).toBe(false);
    expect(verifySlackSignature({ signingSecret: secret, body, timestamp, signature: undefined, now })).toBe(false);
    const old = String(now / 1000 - 301);
    expect(verifySlackSignature({ signingSecret: secret, body, timestamp: old, signature: sign(old, body), now })).toBe(false);
  });
});
