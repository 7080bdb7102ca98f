import type { PolicyRule } from '@claw/core';
import type { SlackClient } from '../client/slack-client';
import { isChannelId, loadSlackChannelNames, type SlackChannelNames } from './channel-names';
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
   * Channels where every post needs approval, e.g. `['#general', '#announce-*']` (`*` as a wildcard) or ids
   * (`C0123456789`): a big audience, even without an @-mention. A call may name the channel either way: with
   * `channels` (see {@link resolveSlackPolicyRules}) ids and names are matched through Slack; without it, a post to a
   * channel given in the other form than the list needs approval, since it cannot be told apart.
   */
  approveChannels?: readonly string[];
  /** Channel names and ids from Slack ({@link loadSlackChannelNames}); {@link resolveSlackPolicyRules} fills it in. */
  channels?: SlackChannelNames;
}

function channelPattern(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  const alternatives = patterns.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/**
 * Policy rules for the Slack skill, to pass as `new Agent({ policy: { rules: slackPolicyRules() } })`:
 * - a message notifying many people (`@channel`, `@here`, `@everyone`, a user group, more than `maxRecipients`
 *   people mentioned) needs approval, with a reason saying which;
 * - posts and reactions in `approveChannels` need approval, whether the call names the channel by name or id;
 * - the tools in `allow` run without approval otherwise.
 * Channel grants (`slack:write:#ops`) are checked before any rule: a rule never widens them. With `approveChannels`,
 * prefer {@link resolveSlackPolicyRules}, which looks channel ids up so that a post by id is recognised exactly.
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
    const listed = options.approveChannels;
    const names = channelPattern(listed.filter((c) => !isChannelId(c)));
    const ids = new Set(listed.filter(isChannelId));
    const { channels } = options;
    const needsApproval = (ref: unknown): boolean => {
      if (typeof ref !== 'string') return true;
      if (isChannelId(ref)) {
        if (ids.has(ref)) return true;
        const name = channels?.nameOf(ref);
        // An id nobody could name may be any channel, one of the listed ones included: ask.
        return name === undefined ? names !== undefined : names?.test(name) === true;
      }
      if (names?.test(ref)) return true;
      if (ids.size === 0) return false;
      const id = channels?.idOf(ref);
      return id === undefined ? true : ids.has(id);
    };
    rules.push({
      tool: ['slack_post_message', 'slack_react'],
      when: (input) => needsApproval((input as { channel?: unknown } | null)?.channel),
      verdict: 'approve',
      reason: `posting in ${listed.join(', ')} needs approval`,
    });
  }
  if (options.allow && options.allow.length > 0) {
    rules.push({ tool: [...options.allow], verdict: 'allow', reason: 'the operator allows ordinary Slack messages in granted channels' });
  }
  return rules;
}

/**
 * {@link slackPolicyRules} with every channel's id and name read from Slack first (`conversations.list`), so a post
 * to `C0GENERAL` is held exactly like one to `#general` when `approveChannels` lists `#general`. Channels created
 * later are unknown ids and need approval. Call it again to refresh.
 * @throws SlackApiError when Slack refuses the listing (the app needs `channels:read` and `groups:read`).
 */
export async function resolveSlackPolicyRules(
  options: SlackPolicyRulesOptions & { client: SlackClient; signal?: AbortSignal },
): Promise<PolicyRule[]> {
  const { client, signal, ...rest } = options;
  const channels = rest.approveChannels && rest.approveChannels.length > 0 ? await loadSlackChannelNames(client, signal) : undefined;
  return slackPolicyRules({ ...rest, ...(channels ? { channels } : {}) });
}
