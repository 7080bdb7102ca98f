import { decidePolicy, type PolicyCall } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { slackMessageApprovalReason } from './message-approval';
import { slackPolicyRules } from './slack-policy-rules';

const call = (toolName: string, input: Record<string, unknown>, effect: PolicyCall['effect'] = 'external'): PolicyCall => ({
  toolName,
  effect,
  environment: 'production',
  scopes: [],
  input,
  tainted: false,
});

describe('slackMessageApprovalReason', () => {
  it('names broadcasts, user groups and too many mentions', () => {
    expect(slackMessageApprovalReason('slack_post_message', { channel: '#ops', text: '<!here> release' })).toMatch(/@here/);
    expect(slackMessageApprovalReason('slack_post_message', { text: 'hi <!subteam^S01|@sre>' })).toMatch(/user group/);
    const six = Array.from({ length: 6 }, (_, i) => `<@U0PEOPLE${i}>`).join(' ');
    expect(slackMessageApprovalReason('slack_post_message', { text: six })).toMatch(/6 people/);
    expect(slackMessageApprovalReason('slack_post_message', { text: six }, { maxRecipients: 6 })).toBeUndefined();
  });

  it('finds broadcasts hidden in blocks', () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '<!channel>' } }];
    expect(slackMessageApprovalReason('slack_post_message', { text: 'quiet text', blocks })).toMatch(/@channel/);
  });

  it('ignores other tools and ordinary messages', () => {
    expect(slackMessageApprovalReason('slack_react', { text: '<!channel>' })).toBeUndefined();
    expect(slackMessageApprovalReason('slack_post_message', { channel: '#ops', text: 'all good' })).toBeUndefined();
  });
});

describe('slackPolicyRules with core decidePolicy', () => {
  const rules = slackPolicyRules({ allow: ['slack_post_message', 'slack_react'], approveChannels: ['#general', '#announce-*'] });

  it('allows ordinary posts and reactions the operator allowed', () => {
    expect(decidePolicy(call('slack_post_message', { channel: '#ops', text: 'done' }), { rules }).type).toBe('allow');
    expect(decidePolicy(call('slack_react', { channel: '#ops', ts: '1.1', name: 'eyes' }, 'write'), { rules }).type).toBe('allow');
  });

  it('asks for approval for broadcasts even though posts are allowed', () => {
    const decision = decidePolicy(call('slack_post_message', { channel: '#ops', text: '<!channel> outage' }), { rules });
    expect(decision).toMatchObject({ type: 'approval', reason: expect.stringContaining('@channel') });
  });

  it('asks for approval for a Block Kit broadcast element, which has no <!channel> text', () => {
    const blocks = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'broadcast', range: 'here' }, { type: 'text', text: ' lunch' }] }] }];
    const decision = decidePolicy(call('slack_post_message', { channel: '#ops', text: 'lunch', blocks }), { rules });
    expect(decision).toMatchObject({ type: 'approval', reason: expect.stringContaining('@here') });
  });

  it('asks for approval in the listed channels', () => {
    expect(decidePolicy(call('slack_post_message', { channel: '#general', text: 'hi' }), { rules }).type).toBe('approval');
    expect(decidePolicy(call('slack_post_message', { channel: '#announce-eng', text: 'hi' }), { rules }).type).toBe('approval');
    expect(decidePolicy(call('slack_post_message', { channel: '#generalist', text: 'hi' }), { rules }).type).toBe('allow');
  });

  it('leaves DMs to the default (approval) unless allowed', () => {
    expect(decidePolicy(call('slack_dm', { user: 'U0RAJ0001', text: 'hi' }), { rules }).type).toBe('approval');
    const dmRules = slackPolicyRules({ allow: ['slack_dm'] });
    expect(decidePolicy(call('slack_dm', { user: 'U0RAJ0001', text: 'hi' }), { rules: dmRules }).type).toBe('allow');
    expect(decidePolicy(call('slack_dm', { user: 'U0RAJ0001', text: '<!here>' }), { rules: dmRules }).type).toBe('approval');
  });
});
