import { AbortedError, InvalidArgumentError } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiError, createSlackClient } from '../src';
import type { SlackStandIn } from '../src/testing';
import { clientFor, startWorkspace } from './helpers';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startWorkspace();
});
afterAll(async () => {
  await slack.close();
});

function requestsOf(method: string, from: number) {
  return slack.requests.slice(from).filter((r) => r.method === method);
}

describe('createSlackClient against the stand-in', () => {
  it('calls methods over the real wire format with the bearer token', async () => {
    const before = slack.requests.length;
    const result = await clientFor(slack).call<{ user_id: string }>('auth.test');
    expect(result.user_id).toBe(slack.botUserId);
    const [request] = requestsOf('auth.test', before);
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(request?.status).toBe(200);
  });

  it('sends blocks as JSON inside the form body, and the stand-in reads them back', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*bold*' } }];
    const { ts } = await clientFor(slack).call<{ ts: string }>('chat.postMessage', { channel: 'C0OPS0001', text: 'hi', blocks });
    expect(slack.messages('#ops').find((m) => m.ts === ts)?.blocks).toEqual(blocks);
  });

  it('rejects an empty token before any request', () => {
    expect(() => createSlackClient({ token: '' })).toThrow(InvalidArgumentError);
    expect(() => createSlackClient({ token: 'x', retry: { maxRetries: -1 } })).toThrow(InvalidArgumentError);
  });

  it('maps invalid_auth to a SlackApiError that says what to do', async () => {
    const client = createSlackClient({ token: 'xoxb-wrong', slackApiUrl: slack.url, retry: { maxRetries: 0 } });
    const error = await client.call('auth.test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ slackCode: 'invalid_auth', kind: 'platform', method: 'auth.test', code: 'EXTERNAL_SERVICE', service: 'slack' });
    expect((error as Error).message).toContain('SLACK_BOT_TOKEN');
  });

  it('maps channel_not_found and not_in_channel without retrying them', async () => {
    const before = slack.requests.length;
    const client = clientFor(slack);
    await expect(client.call('conversations.history', { channel: 'C0MISSING' })).rejects.toMatchObject({ slackCode: 'channel_not_found' });
    const error = await client.call('conversations.history', { channel: 'C0OUTSIDE' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ slackCode: 'not_in_channel' });
    expect((error as Error).message).toContain('/invite');
    expect(requestsOf('conversations.history', before)).toHaveLength(2);
  });

  it('reports the OAuth scope Slack says is missing', async () => {
    slack.failNext('users.lookupByEmail', { type: 'error', error: 'missing_scope', needed: 'users:read.email' });
    await expect(clientFor(slack).call('users.lookupByEmail', { email: 'raj@example.com' })).rejects.toMatchObject({
      slackCode: 'missing_scope',
      neededScope: 'users:read.email',
    });
  });

  it('honours a 429 Retry-After within the policy and then succeeds', async () => {
    const before = slack.requests.length;
    slack.failNext('chat.postMessage', { type: 'rate_limited', retryAfterSeconds: 0 }, 2);
    const result = await clientFor(slack).call<{ ok: boolean }>('chat.postMessage', { channel: 'C0OPS0001', text: 'after 429' });
    expect(result.ok).toBe(true);
    expect(requestsOf('chat.postMessage', before).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('fails at once, with retryAfterMs, when Slack asks to wait longer than the policy allows', async () => {
    const before = slack.requests.length;
    slack.failNext('conversations.history', { type: 'rate_limited', retryAfterSeconds: 120 });
    const error = await clientFor(slack, { maxRetryAfterMs: 30_000 }).call('conversations.history', { channel: 'C0OPS0001' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate_limited', slackCode: 'ratelimited', retryAfterMs: 120_000, status: 429 });
    expect(requestsOf('conversations.history', before)).toHaveLength(1);
  });

  it('gives up on repeated 429s after maxRetries', async () => {
    const before = slack.requests.length;
    // Exactly one more 429 than the client will retry.
    slack.failNext('auth.test', { type: 'rate_limited', retryAfterSeconds: 0 }, 3);
    await expect(clientFor(slack, { maxRetries: 2 }).call('auth.test')).rejects.toMatchObject({ slackCode: 'ratelimited' });
    expect(requestsOf('auth.test', before).map((r) => r.status)).toEqual([429, 429, 429]);
  });

  it('retries a 500 on a read method and succeeds', async () => {
    const before = slack.requests.length;
    slack.failNext('conversations.info', { type: 'http', status: 500 }, 2);
    const result = await clientFor(slack).call<{ channel: { id: string } }>('conversations.info', { channel: 'C0OPS0001' });
    expect(result.channel.id).toBe('C0OPS0001');
    expect(requestsOf('conversations.info', before).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('does not repeat a post after a 500 (it may have been delivered)', async () => {
    const before = slack.requests.length;
    slack.failNext('chat.postMessage', { type: 'http', status: 503 });
    const error = await clientFor(slack).call('chat.postMessage', { channel: 'C0OPS0001', text: 'once' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'http', slackCode: 'http_503', status: 503 });
    expect(requestsOf('chat.postMessage', before)).toHaveLength(1);
  });

  it('aborts the HTTP request itself when the signal fires', async () => {
    const before = slack.requests.length;
    slack.failNext('conversations.list', { type: 'slow', delayMs: 3000 });
    const controller = new AbortController();
    const pending = clientFor(slack).call('conversations.list', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await expect.poll(() => requestsOf('conversations.list', before)[0]?.aborted).toBe(true);
  });

  it('stops waiting out a Retry-After when the signal fires', async () => {
    slack.failNext('users.list', { type: 'rate_limited', retryAfterSeconds: 1 });
    const controller = new AbortController();
    const pending = clientFor(slack).call('users.list', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  it('turns a request that never answers into request_failed after its timeout', async () => {
    slack.failNext('team.info', { type: 'slow', delayMs: 2000 });
    const client = createSlackClient({ token: slack.token, slackApiUrl: slack.url, requestTimeoutMs: 100, retry: { maxRetries: 0 } });
    await expect(client.call('team.info')).rejects.toMatchObject({ kind: 'request', slackCode: 'request_failed' });
  });

  it('pages through a cursor-paginated method', async () => {
    for (let i = 0; i < 7; i++) slack.addUser({ id: `U0PAGE000${i}`, name: `pager${i}` });
    const pages: number[] = [];
    for await (const page of clientFor(slack).pages<{ members: unknown[] }>('users.list', { limit: 3 })) pages.push(page.members.length);
    // Four people, the bot and seven pagers, three to a page.
    expect(pages).toEqual([3, 3, 3, 3]);
  });
});

describe('the stand-in', () => {
  it('accepts JSON bodies and token-less requests are not_authed', async () => {
    const json = await fetch(`${slack.url}conversations.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0OPS0001', include_num_members: true }),
    }).then((r) => r.json());
    expect(json).toMatchObject({ ok: true, channel: { id: 'C0OPS0001', name: 'ops', num_members: 5 } });
    const anonymous = await fetch(`${slack.url}auth.test`, { method: 'POST' }).then((r) => r.json());
    expect(anonymous).toEqual({ ok: false, error: 'not_authed' });
  });
});
