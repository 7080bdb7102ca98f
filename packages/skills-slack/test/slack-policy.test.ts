import { decidePolicy, type PolicyCall } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSlackPolicyRules, slackPolicyRules } from '../src';
import type { SlackStandIn } from '../src/testing';
import { clientFor, startWorkspace } from './helpers';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startWorkspace();
});
afterAll(async () => {
  await slack.close();
});

const post = (channel: string): PolicyCall => ({
  toolName: 'slack_post_message',
  effect: 'external',
  environment: 'production',
  scopes: [`slack:write:${channel}`],
  input: { channel, text: 'hello' },
  tainted: false,
});

describe('approveChannels with channels given by id', () => {
  it('holds a post to a listed channel whether the call names it or gives its id (ids looked up in Slack)', async () => {
    const rules = await resolveSlackPolicyRules({ client: clientFor(slack), allow: ['slack_post_message'], approveChannels: ['#general'] });
    expect(decidePolicy(post('#general'), { rules }).type).toBe('approval');
    expect(decidePolicy(post('C0GENERAL'), { rules }).type).toBe('approval');
    expect(decidePolicy(post('#ops'), { rules }).type).toBe('allow');
    expect(decidePolicy(post('C0OPS0001'), { rules }).type).toBe('allow');
    // A channel Slack did not list (created later, or made up) may be any channel: it is held.
    expect(decidePolicy(post('C0UNKNOWN9'), { rules }).type).toBe('approval');
  });

  it('holds a post by name when the list gives the channel id', async () => {
    const rules = await resolveSlackPolicyRules({ client: clientFor(slack), allow: ['slack_post_message'], approveChannels: ['C0GENERAL'] });
    expect(decidePolicy(post('#general'), { rules }).type).toBe('approval');
    expect(decidePolicy(post('#ops'), { rules }).type).toBe('allow');
  });

  it('without a lookup, holds every post given in the other form than the list', () => {
    const rules = slackPolicyRules({ allow: ['slack_post_message'], approveChannels: ['#general'] });
    expect(decidePolicy(post('C0GENERAL'), { rules }).type).toBe('approval');
    expect(decidePolicy(post('#ops'), { rules }).type).toBe('allow');
  });
});
