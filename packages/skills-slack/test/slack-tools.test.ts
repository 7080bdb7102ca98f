import { missingScopes, validateToolInput, type Tool } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiError, slackSkill, type ChannelDigest, type ReadChannelOutput } from '../src';
import type { SlackStandIn } from '../src/testing';
import { PEOPLE, clientFor, startWorkspace, toolContext } from './helpers';

let slack: SlackStandIn;
let tools: Record<string, Tool>;
const HOUR = 3_600_000;

beforeAll(async () => {
  slack = await startWorkspace();
  const skill = slackSkill.configure({ client: clientFor(slack), maxDigestMessages: 1000 });
  tools = Object.fromEntries(skill.tools.map((t) => [t.name, t]));
});
afterAll(async () => {
  await slack.close();
});

/** Validates like the agent does (defaults applied), then runs. */
async function run<T>(name: string, input: unknown, ctx = toolContext()): Promise<T> {
  const tool = tools[name]!;
  const parsed = validateToolInput(tool, input);
  if (!parsed.success) throw parsed.error;
  return (await tool.execute(parsed.input, ctx)) as T;
}

async function preview(name: string, input: unknown) {
  const tool = tools[name]!;
  const parsed = validateToolInput(tool, input);
  if (!parsed.success) throw parsed.error;
  return tool.preview!(parsed.input, toolContext());
}

describe('the skill', () => {
  it('declares its scopes and marks tools that return Slack content as untrusted', () => {
    expect(Object.keys(slackSkill.scopes)).toEqual(['slack:read', 'slack:write:{channel}', 'slack:dm']);
    const untrusted = Object.values(tools).filter((t) => t.untrustedOutput).map((t) => t.name).sort();
    expect(untrusted).toEqual(['slack_lookup_user', 'slack_read_channel', 'slack_summarize_channel']);
    expect(tools.slack_post_message!.scopes).toEqual(['slack:write:{channel}']);
  });

  it('checks write grants per channel as written in the call', () => {
    const post = tools.slack_post_message!;
    const grants = ['slack:read', 'slack:write:#ops', 'slack:write:#eng-*'];
    expect(missingScopes(grants, post.scopes, { channel: '#ops', text: 'x' })).toEqual([]);
    expect(missingScopes(grants, post.scopes, { channel: '#eng-alerts', text: 'x' })).toEqual([]);
    expect(missingScopes(grants, post.scopes, { channel: '#general', text: 'x' })).toEqual(['slack:write:#general']);
    expect(missingScopes(grants, post.scopes, { channel: 'C0OPS0001', text: 'x' })).toEqual(['slack:write:C0OPS0001']);
  });

  it('refuses channel values that could bend a scope', () => {
    for (const channel of ['#ops:*', '#Ops', 'ops', '#ops general', '*']) {
      expect(validateToolInput(tools.slack_post_message!, { channel, text: 'x' }).success).toBe(false);
    }
  });

  it('refuses a configuration without a client built by createSlackClient', () => {
    expect(() => slackSkill.configure({ client: {} as never })).toThrow(/createSlackClient/);
  });
});

describe('slack_read_channel', () => {
  beforeAll(() => {
    const start = Date.now() - 10 * HOUR;
    for (let i = 0; i < 25; i++) slack.addMessage('#general', { user: PEOPLE.sam.id, text: `general ${i}`, at: start + i * 60_000 });
  });

  it('pages through history up to the limit, oldest first, with a cursor to go on', async () => {
    const before = slack.requests.length;
    const first = await run<ReadChannelOutput>('slack_read_channel', { channel: '#general', limit: 10 });
    expect(first.channel).toEqual({ id: 'C0GENERAL', name: 'general' });
    expect(first.messages.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `general ${15 + i}`));
    expect(first.messages[0]).toMatchObject({ user: PEOPLE.sam.id, userName: 'sam' });
    expect(first.nextCursor).toBeTruthy();
    const second = await run<ReadChannelOutput>('slack_read_channel', { channel: '#general', limit: 20, cursor: first.nextCursor });
    expect(second.messages.map((m) => m.text)).toEqual(Array.from({ length: 15 }, (_, i) => `general ${i}`));
    expect(second.nextCursor).toBeUndefined();
    const historyCalls = slack.requests.slice(before).filter((r) => r.method === 'conversations.history');
    expect(historyCalls.map((r) => r.params.limit)).toEqual(['10', '20']);
  });

  it('reads a thread', async () => {
    const parent = slack.addMessage('#ops', { user: PEOPLE.priya.id, text: 'deploy failed on web-3?' });
    slack.addMessage('#ops', { user: PEOPLE.raj.id, text: 'looking', threadTs: parent.ts });
    slack.addMessage('#ops', { user: PEOPLE.sam.id, text: 'disk full, fixed', threadTs: parent.ts });
    const thread = await run<ReadChannelOutput>('slack_read_channel', { channel: '#ops', threadTs: parent.ts });
    expect(thread.messages.map((m) => [m.userName, m.text])).toEqual([
      ['priya', 'deploy failed on web-3?'],
      ['raj', 'looking'],
      ['sam', 'disk full, fixed'],
    ]);
  });

  it('reads private channels the app is in, and says what to do where it is not', async () => {
    slack.addMessage('#secret-ops', { user: PEOPLE.priya.id, text: 'rotate keys' });
    const secret = await run<ReadChannelOutput>('slack_read_channel', { channel: '#secret-ops' });
    expect(secret.messages.map((m) => m.text)).toEqual(['rotate keys']);
    const error = await run('slack_read_channel', { channel: '#outside' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ slackCode: 'not_in_channel' });
    await expect(run('slack_read_channel', { channel: '#nowhere' })).rejects.toMatchObject({ slackCode: 'channel_not_found' });
  });
});

describe('slack_summarize_channel', () => {
  it('digests everything since a time, across pages, with the busiest threads and reactions', async () => {
    slack.addChannel({ name: 'incidents', id: 'C0INCIDEN', members: Object.values(PEOPLE).map((p) => p.id) });
    const start = Date.now() - 30 * HOUR;
    slack.addMessage('#incidents', { user: PEOPLE.sam.id, text: 'old news from yesterday', at: start });
    const recent = Date.now() - 5 * HOUR;
    const texts: string[] = [];
    for (let i = 0; i < 230; i++) {
      const user = [PEOPLE.priya, PEOPLE.raj, PEOPLE.sam][i % 3]!.id;
      texts.push(`update ${i}`);
      slack.addMessage('#incidents', { user, text: `update ${i}`, at: recent + i * 1000 });
    }
    const outage = slack.addMessage('#incidents', { user: PEOPLE.raj.id, text: 'checkout is down', at: recent + 300_000 });
    for (let i = 0; i < 4; i++) slack.addMessage('#incidents', { user: PEOPLE.priya.id, text: `reply ${i}`, threadTs: outage.ts, at: recent + 301_000 + i });
    slack.addReaction('#incidents', outage.ts, 'eyes', PEOPLE.sam.id);
    slack.addReaction('#incidents', outage.ts, 'rotating_light', PEOPLE.priya.id);

    const digest = await run<ChannelDigest>('slack_summarize_channel', { channel: '#incidents', since: '24h' });
    expect(digest.messageCount).toBe(231);
    expect(digest.truncated).toBe(false);
    expect(digest.replyCount).toBe(4);
    // 230 updates round-robin (priya 77, raj 77, sam 76), plus raj's outage message.
    expect(digest.participants.map((p) => [p.userName, p.messages])).toEqual([
      ['raj', 78],
      ['priya', 77],
      ['sam', 76],
    ]);
    expect(digest.busiestThreads).toHaveLength(1);
    expect(digest.busiestThreads[0]).toMatchObject({ text: 'checkout is down', replyCount: 4 });
    expect(digest.busiestThreads[0]!.replies!.map((r) => r.text)).toEqual(['reply 0', 'reply 1', 'reply 2', 'reply 3']);
    expect(digest.mostReacted[0]).toMatchObject({ text: 'checkout is down', reactions: [{ name: 'eyes', count: 1 }, { name: 'rotating_light', count: 1 }] });
    expect(digest.timeline).toHaveLength(60);
    expect(digest.timeline[0]!.text).not.toBe('old news from yesterday');
    expect(digest.omittedFromTimeline).toBe(171);
    const times = digest.timeline.map((m) => m.ts);
    expect([...times].sort()).toEqual(times);
  });

  it('says when the digest was cut at the configured maximum', async () => {
    const skill = slackSkill.configure({ client: clientFor(slack), maxDigestMessages: 50 });
    const tool = skill.tools.find((t) => t.name === 'slack_summarize_channel')!;
    const parsed = validateToolInput(tool, { channel: '#incidents', since: '24h', includeThreads: false });
    const digest = (await tool.execute((parsed as { input: unknown }).input, toolContext())) as ChannelDigest;
    expect(digest).toMatchObject({ messageCount: 50, truncated: true });
    expect(digest.busiestThreads[0]?.replies).toBeUndefined();
  });

  it('refuses a time it cannot read', () => {
    expect(validateToolInput(tools.slack_summarize_channel!, { channel: '#ops', since: 'a while ago' }).success).toBe(false);
  });
});

describe('slack_post_message', () => {
  it('posts text and blocks to the channel named, and replies in threads', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Digest*' } }];
    const posted = await run<{ channel: string; ts: string }>('slack_post_message', { channel: '#ops', text: 'Digest ready', blocks });
    expect(posted.channel).toBe('C0OPS0001');
    const message = slack.messages('#ops').find((m) => m.ts === posted.ts)!;
    expect(message).toMatchObject({ text: 'Digest ready', blocks, user: slack.botUserId });
    const reply = await run<{ ts: string }>('slack_post_message', { channel: '#ops', text: 'details', threadTs: posted.ts });
    expect(slack.messages('#ops').find((m) => m.ts === reply.ts)?.threadTs).toBe(posted.ts);
  });

  it('previews the exact message, the destination and who it notifies', async () => {
    const p = await preview('slack_post_message', { channel: '#general', text: '<!channel> maintenance at 18:00 <@U0RAJ0001>' });
    expect(p.summary).toContain('#general (C0GENERAL, public, 5 members)');
    expect(p.summary).toContain('"<!channel> maintenance at 18:00 <@U0RAJ0001>"');
    expect(p.summary).toContain('@channel');
    expect(p.details).toMatchObject({
      channel: 'C0GENERAL',
      memberCount: 5,
      text: '<!channel> maintenance at 18:00 <@U0RAJ0001>',
      mentions: { broadcasts: ['channel'], users: ['U0RAJ0001'], userGroups: [] },
    });
  });

  it('previews a destination Slack cannot find instead of failing', async () => {
    const p = await preview('slack_post_message', { channel: '#nowhere', text: 'hello' });
    expect(p.summary).toContain('#nowhere (could not be resolved: channel_not_found)');
  });

  it('reports not_in_channel and archived channels as SlackApiError', async () => {
    slack.addChannel({ name: 'old-stuff', id: 'C0ARCHIVE', isArchived: true });
    await expect(run('slack_post_message', { channel: '#outside', text: 'x' })).rejects.toMatchObject({ slackCode: 'not_in_channel' });
    await expect(run('slack_post_message', { channel: '#old-stuff', text: 'x' })).rejects.toMatchObject({ slackCode: 'is_archived' });
  });
});

describe('slack_react, slack_dm, slack_lookup_user', () => {
  it('reacts to a message (colons optional)', async () => {
    const message = slack.addMessage('#ops', { user: PEOPLE.sam.id, text: 'fixed' });
    await run('slack_react', { channel: '#ops', ts: message.ts, name: ':white_check_mark:' });
    expect(slack.messages('#ops').find((m) => m.ts === message.ts)?.reactions.get('white_check_mark')).toEqual([slack.botUserId]);
    await expect(run('slack_react', { channel: '#ops', ts: message.ts, name: 'white_check_mark' })).rejects.toMatchObject({ slackCode: 'already_reacted' });
  });

  it('sends a DM by email or id, and previews the recipient', async () => {
    const sent = await run<{ channel: string; user: string }>('slack_dm', { user: 'raj@example.com', text: 'your review please' });
    expect(sent.user).toBe(PEOPLE.raj.id);
    expect(slack.messages(sent.channel).map((m) => m.text)).toEqual(['your review please']);
    const again = await run<{ channel: string }>('slack_dm', { user: PEOPLE.raj.id, text: 'thanks' });
    expect(again.channel).toBe(sent.channel);
    const p = await preview('slack_dm', { user: PEOPLE.raj.id, text: 'thanks' });
    expect(p.summary).toBe('Would send a direct message to Raj Patel (@raj, U0RAJ0001): "thanks"');
    await expect(run('slack_dm', { user: 'nobody@example.com', text: 'x' })).rejects.toMatchObject({ slackCode: 'users_not_found' });
  });

  it('looks people up by id, email and part of a name', async () => {
    expect((await run<{ users: { id: string }[] }>('slack_lookup_user', { id: PEOPLE.sam.id })).users.map((u) => u.id)).toEqual([PEOPLE.sam.id]);
    expect((await run<{ users: { name: string }[] }>('slack_lookup_user', { email: 'PRIYA@example.com' })).users.map((u) => u.name)).toEqual(['priya']);
    expect((await run<{ users: { realName: string }[] }>('slack_lookup_user', { name: 'patel' })).users.map((u) => u.realName)).toEqual(['Raj Patel']);
    expect((await run<{ users: unknown[] }>('slack_lookup_user', { id: 'U0NOBODY1' })).users).toEqual([]);
    expect(validateToolInput(tools.slack_lookup_user!, { id: PEOPLE.sam.id, name: 'sam' }).success).toBe(false);
  });
});
