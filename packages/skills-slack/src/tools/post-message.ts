import { defineTool, type ToolPreview } from '@claw/core';
import { z } from 'zod';
import type { SlackChannelInfo } from '../directory/slack-directory';
import { SlackApiError } from '../errors/slack-api-error';
import { analyzeMentions } from '../messages/mentions';
import { blocksInput, channelInput, tsInput, type SlackToolDeps } from './tool-inputs';

/** The input schema of `slack_post_message`. */
export const postMessageInput = z.object({
  /** `#name` (lowercase) or a channel id; the `{channel}` of the tool's `slack:write:{channel}` scope. */
  channel: channelInput,
  /** The message in Slack mrkdwn; also the notification text when blocks are given. */
  text: z.string().min(1).max(40_000).describe('The message (Slack mrkdwn). Also the notification text when blocks are given.'),
  /** Block Kit blocks, for a richer message. */
  blocks: blocksInput.optional(),
  /** Reply in the thread of this message ts instead of posting to the channel. */
  threadTs: tsInput.optional().describe('Reply in the thread of this message ts instead of posting to the channel.'),
  /** With `threadTs`: also show the reply in the channel. */
  replyBroadcast: z.boolean().optional().describe('With threadTs: also show the reply in the channel.'),
});

/** Input of `slack_post_message`. */
export type PostMessageInput = z.infer<typeof postMessageInput>;

/** What `slack_post_message` returns. */
export interface PostMessageOutput {
  /** The channel id Slack posted to. */
  channel: string;
  /** The channel's name without `#`, when known. */
  channelName?: string;
  /** The new message's timestamp: its id in the channel. */
  ts: string;
  /** The thread it was posted in, for replies. */
  threadTs?: string;
}

/** Names a destination for a person: `#ops (C0123…, private, 12 members)`. */
export function describeDestination(ref: string, channel: SlackChannelInfo | undefined, problem?: string): string {
  if (!channel) return `${ref} (could not be resolved: ${problem ?? 'unknown'})`;
  const facts = [channel.id, channel.isPrivate ? 'private' : 'public'];
  if (channel.memberCount !== undefined) facts.push(`${channel.memberCount} members`);
  return `${channel.name ? `#${channel.name}` : ref} (${facts.join(', ')})`;
}

/**
 * Looks the destination up for a preview. A preview must still show something when Slack refuses
 * (the approver then sees why), so Slack errors become a `problem` instead of a throw.
 */
export async function resolveForPreview(
  deps: SlackToolDeps,
  ref: string,
  signal: AbortSignal,
): Promise<{ channel?: SlackChannelInfo; problem?: string }> {
  try {
    return { channel: await deps.directory.channel(ref, signal) };
  } catch (error) {
    if (error instanceof SlackApiError) return { problem: error.slackCode };
    throw error;
  }
}

/** The preview of posting `args`: exact text, blocks and destination, and who it notifies. */
export function postPreview(args: PostMessageInput, destination: string, channel?: SlackChannelInfo): ToolPreview {
  const mentions = analyzeMentions(args.text, args.blocks);
  const where = args.threadTs ? `a reply in thread ${args.threadTs} of ${destination}` : destination;
  const notifies = [
    ...mentions.broadcasts.map((b) => `@${b}`),
    ...(mentions.users.length ? [`${mentions.users.length} mentioned people`] : []),
    ...(mentions.userGroups.length ? [`${mentions.userGroups.length} user groups`] : []),
  ];
  return {
    summary: `Would post to ${where}${notifies.length ? `, notifying ${notifies.join(', ')}` : ''}: "${args.text}"`,
    details: {
      destination,
      channel: channel?.id ?? args.channel,
      ...(channel?.memberCount !== undefined ? { memberCount: channel.memberCount } : {}),
      text: args.text,
      ...(args.blocks ? { blocks: args.blocks } : {}),
      ...(args.threadTs ? { threadTs: args.threadTs, replyBroadcast: args.replyBroadcast ?? false } : {}),
      mentions,
    },
  };
}

/**
 * `slack_post_message`: posts text (and optional Block Kit blocks) to a channel or a thread. Its scope is the
 * template `slack:write:{channel}`, so each call needs a grant covering that channel (`slack:write:#ops`).
 */
export function postMessageTool(deps: SlackToolDeps) {
  return defineTool({
    name: 'slack_post_message',
    description:
      'Post a message to a Slack channel, or reply in a thread with threadTs. Refer to the channel as "#name". Use @channel/@here only when asked: they need a human approval.',
    input: postMessageInput,
    scopes: ['slack:write:{channel}'],
    effect: 'external',
    // The destination is checked for untrusted influence, and so are the links in the message: the text may quote
    // what it answers or summarises, but a link only outside content named is how phishing travels.
    linkInputs: ['text', 'blocks'],
    sensitiveInputs: ['channel'],
    async execute(args, ctx): Promise<PostMessageOutput> {
      const channel = await deps.directory.channel(args.channel, ctx.signal);
      const result = await deps.client.call<{ channel: string; ts: string }>(
        'chat.postMessage',
        {
          channel: channel.id,
          text: args.text,
          ...(args.blocks ? { blocks: args.blocks } : {}),
          ...(args.threadTs ? { thread_ts: args.threadTs, reply_broadcast: args.replyBroadcast ?? false } : {}),
        },
        { signal: ctx.signal },
      );
      return {
        channel: result.channel,
        ...(channel.name ? { channelName: channel.name } : {}),
        ts: result.ts,
        ...(args.threadTs ? { threadTs: args.threadTs } : {}),
      };
    },
    async preview(args, ctx) {
      const { channel, problem } = await resolveForPreview(deps, args.channel, ctx.signal);
      return postPreview(args, describeDestination(args.channel, channel, problem), channel);
    },
  });
}
