import type { PolicyRule } from '@claw/core';
import { slackMessageApprovalReason, type SlackMessageApprovalOptions } from './message-approval';

/** Options of {@link slackPolicyRules}. */
export interface SlackPolicyRulesOptions extends SlackMessageApprovalOptions {
  /**
   * Slack tools allowed without approval for ordinary messages, e.g. `['slack_post_message', 'slack_react']`.
   * Core asks for approval of every `external` call by default, so without this every post waits for a human.
   * Broadcasts and the channels in `approveChannels` still need approval: approval rules win over allow rules.
   * Default none.
   */
  allow?: readonly ('slack_post_message' | 'slack_react' | 'slack_dm')[];
  /**
   * Channels (as written in the call, `*` as a wildcard) where every post needs approval, e.g. `['#general',
   * '#announce-*']`: a big audience, even without an @-mention.
   */
  approveChannels?: readonly string[];
}

function channelPattern(patterns: readonly string[]): RegExp {
  const alternatives = patterns.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/**
 * Policy rules for the Slack skill, to pass as `new Agent({ policy: { rules: slackPolicyRules() } })`:
 * - a message notifying many people (`@channel`, `@here`, `@everyone`, a user group, more than `maxRecipients`
 *   people mentioned) needs approval, with a reason saying which;
 * - posts and reactions in `approveChannels` need approval;
 * - the tools in `allow` run without approval otherwise.
 * Channel grants (`slack:write:#ops`) are checked before any rule: a rule never widens them.
 */
export function slackPolicyRules(options: SlackPolicyRulesOptions = {}): PolicyRule[] {
  const rules: PolicyRule[] = [
    {
      tool: ['slack_post_message', 'slack_dm'],
      when: (input) => slackMessageApprovalReason('slack_post_message', input, options) !== undefined,
      verdict: 'approve',
      reason: `the Slack message notifies many people (@channel, @here, @everyone, a user group, or more than ${options.maxRecipients ?? 5} mentions)`,
    },
  ];
  if (options.approveChannels && options.approveChannels.length > 0) {
    rules.push({
      tool: ['slack_post_message', 'slack_react'],
      input: { channel: channelPattern(options.approveChannels) },
      verdict: 'approve',
      reason: `posting in ${options.approveChannels.join(', ')} needs approval`,
    });
  }
  if (options.allow && options.allow.length > 0) {
    rules.push({ tool: [...options.allow], verdict: 'allow', reason: 'the operator allows ordinary Slack messages in granted channels' });
  }
  return rules;
}
