import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { SlackMessageJson, SlackMessageView } from '../messages/message-view';
import { toMessageView } from '../messages/message-view';
import { channelInput, tsInput, type SlackToolDeps } from './tool-inputs';

const input = z.object({
  channel: channelInput,
  threadTs: tsInput.optional().describe('Read the replies of the thread that starts at this message ts instead of the channel.'),
  limit: z.number().int().min(1).max(200).default(50).describe('Most messages to return (1-200).'),
  cursor: z.string().max(500).optional().describe('The nextCursor of a previous call, to read further back.'),
});

/** What `slack_read_channel` returns. Messages are oldest first. */
export interface ReadChannelOutput {
  /** The channel read. */
  channel: {
    /** Slack's channel id. */
    id: string;
    /** The name without `#`, when it has one. */
    name?: string;
  };
  /** The thread read, when a thread was asked for. */
  threadTs?: string;
  /** The messages, oldest first. */
  messages: SlackMessageView[];
  /** Pass as `cursor` to continue; absent when there is nothing more. */
  nextCursor?: string;
}

/**
 * `slack_read_channel`: a channel's recent history, or one thread's replies, paging through Slack's cursor
 * pages up to `limit`. Output is untrusted: it is what people wrote.
 */
export function readChannelTool({ client, directory }: SlackToolDeps) {
  return defineTool({
    name: 'slack_read_channel',
    description:
      'Read recent messages of a Slack channel (newest `limit`, returned oldest first), or the replies of one thread when threadTs is given. Returns nextCursor to read further back.',
    input,
    scopes: ['slack:read'],
    effect: 'read',
    untrustedOutput: true,
    async execute(args, ctx): Promise<ReadChannelOutput> {
      const channel = await directory.channel(args.channel, ctx.signal);
      const method = args.threadTs ? 'conversations.replies' : 'conversations.history';
      const messages: SlackMessageJson[] = [];
      let cursor = args.cursor;
      do {
        // Ask for exactly what is still wanted, so no page is cut and the cursor never skips a message.
        const page = await client.call<{ messages?: SlackMessageJson[]; response_metadata?: { next_cursor?: string } }>(
          method,
          { channel: channel.id, limit: args.limit - messages.length, ...(args.threadTs ? { ts: args.threadTs } : {}), ...(cursor ? { cursor } : {}) },
          { signal: ctx.signal },
        );
        messages.push(...(page.messages ?? []));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor && messages.length < args.limit);
      // History pages come newest first; replies oldest first. The model reads a conversation in order.
      const ordered = args.threadTs ? messages : messages.reverse();
      const names = await directory.names(ordered.map((m) => m.user).filter((u): u is string => !!u), ctx.signal);
      return {
        channel: { id: channel.id, ...(channel.name ? { name: channel.name } : {}) },
        ...(args.threadTs ? { threadTs: args.threadTs } : {}),
        messages: ordered.map((m) => toMessageView(m, names)),
        ...(cursor ? { nextCursor: cursor } : {}),
      };
    },
    preview(args) {
      const what = args.threadTs ? `the replies of thread ${args.threadTs} in ${args.channel}` : `the last ${args.limit} messages of ${args.channel}`;
      return { summary: `Would read ${what}.`, details: args };
    },
  });
}
