import { analyzeMentions } from '../messages/mentions';

/** Options of {@link slackMessageApprovalReason}. */
export interface SlackMessageApprovalOptions {
  /**
   * A message that notifies more than this many people (mentioned users; a user group counts as more) needs
   * approval. Default 5.
   */
  maxRecipients?: number;
}

/** The Slack tools whose input is a message someone will receive. */
export const SLACK_MESSAGE_TOOLS: readonly string[] = Object.freeze(['slack_post_message', 'slack_dm']);

/**
 * Says why a Slack message needs a human approval before it is sent, or `undefined` when it does not:
 * `@channel`, `@here` or `@everyone`; a user-group mention; or more than `maxRecipients` people mentioned.
 * Applies to `slack_post_message` and `slack_dm`; any other tool gets `undefined`.
 */
export function slackMessageApprovalReason(
  toolName: string,
  input: unknown,
  options: SlackMessageApprovalOptions = {},
): string | undefined {
  if (!SLACK_MESSAGE_TOOLS.includes(toolName) || input === null || typeof input !== 'object') return undefined;
  const { text, blocks } = input as { text?: unknown; blocks?: unknown };
  const mentions = analyzeMentions(typeof text === 'string' ? text : '', Array.isArray(blocks) ? blocks : undefined);
  const max = options.maxRecipients ?? 5;
  if (mentions.broadcasts.length > 0) {
    return `the message notifies everyone in the channel (${mentions.broadcasts.map((b) => `@${b}`).join(', ')})`;
  }
  if (mentions.userGroups.length > 0) return `the message mentions ${mentions.userGroups.length} user group(s)`;
  if (mentions.users.length > max) return `the message mentions ${mentions.users.length} people (more than ${max})`;
  return undefined;
}
