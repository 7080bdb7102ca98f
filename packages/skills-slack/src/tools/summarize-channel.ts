import { defineTool } from '@claw/core';
import { z } from 'zod';
import {
  authorOf,
  reactionCount,
  toMessageView,
  type SlackMessageJson,
  type SlackMessageView,
} from '../messages/message-view';
import { SINCE_FORMATS, isSince, msToTs, parseSince } from '../messages/since';
import { channelInput, type SlackToolDeps } from './tool-inputs';

const input = z.object({
  channel: channelInput,
  since: z.string().refine(isSince, `Use ${SINCE_FORMATS}.`).describe(`Start of the digest: ${SINCE_FORMATS}.`),
  includeThreads: z.boolean().default(true).describe('Also read the replies of the busiest threads.'),
});

const TIMELINE_SIZE = 60;
const TEXT_LENGTH = 300;
const TOP = 5;
const REPLIES_PER_THREAD = 20;

/** What `slack_summarize_channel` returns: the facts a digest is written from. */
export interface ChannelDigest {
  /** The channel digested. */
  channel: {
    /** Slack's channel id. */
    id: string;
    /** The name without `#`, when it has one. */
    name?: string;
  };
  /** Start of the digest, ISO 8601. */
  since: string;
  /** End of the digest (when it was read), ISO 8601. */
  until: string;
  /** Top-level messages since `since`, and replies counted on them. */
  messageCount: number;
  /** Replies in the threads of those messages. */
  replyCount: number;
  /** True when the channel had more messages than the digest reads; the oldest were left out. */
  truncated: boolean;
  /** Who posted top-level messages, most active first. */
  participants: {
    /** User id (or bot id). */
    user: string;
    /** Display name, when known. */
    userName?: string;
    /** Top-level messages they posted. */
    messages: number;
  }[];
  /** The threads with most replies, with their replies when threads were included. */
  busiestThreads: (SlackMessageView & {
    /** The thread's replies, oldest first. */
    replies?: SlackMessageView[];
  })[];
  /** The messages with most reactions. */
  mostReacted: SlackMessageView[];
  /** The most engaged-with messages (and every message in a quiet channel), oldest first, texts shortened. */
  timeline: SlackMessageView[];
  /** Messages left out of the timeline. */
  omittedFromTimeline: number;
}

/**
 * `slack_summarize_channel`: reads everything posted in a channel since a time (all cursor pages, up to the
 * configured maximum) and returns a digest: who spoke, the busiest threads with their replies, the most-reacted
 * messages and a timeline. The model writes the prose summary from it. Output is untrusted.
 */
export function summarizeChannelTool({ client, directory, maxDigestMessages }: SlackToolDeps) {
  return defineTool({
    name: 'slack_summarize_channel',
    description:
      'Collect a digest of a Slack channel since a time: message counts, participants, busiest threads (with replies), most-reacted messages and a timeline. Use it to write a summary of a busy channel.',
    input,
    scopes: ['slack:read'],
    effect: 'read',
    untrustedOutput: true,
    async execute(args, ctx): Promise<ChannelDigest> {
      const sinceMs = parseSince(args.since);
      const untilMs = Date.now();
      const channel = await directory.channel(args.channel, ctx.signal);
      const messages: SlackMessageJson[] = [];
      let truncated = false;
      const history = client.pages<{ messages?: SlackMessageJson[]; has_more?: boolean }>(
        'conversations.history',
        { channel: channel.id, oldest: msToTs(sinceMs), limit: 200 },
        { signal: ctx.signal },
      );
      for await (const page of history) {
        messages.push(...(page.messages ?? []));
        if (messages.length >= maxDigestMessages) {
          truncated = messages.length > maxDigestMessages || page.has_more === true;
          break;
        }
      }
      const kept = messages.slice(0, maxDigestMessages).reverse();
      const engagement = (m: SlackMessageJson) => (m.reply_count ?? 0) * 2 + reactionCount(m);
      const busiest = kept
        .filter((m) => (m.reply_count ?? 0) > 0)
        .sort((a, b) => (b.reply_count ?? 0) - (a.reply_count ?? 0))
        .slice(0, TOP);
      const replies = new Map<string, SlackMessageJson[]>();
      if (args.includeThreads) {
        for (const parent of busiest) {
          const thread = await client.call<{ messages?: SlackMessageJson[] }>(
            'conversations.replies',
            { channel: channel.id, ts: parent.ts, limit: REPLIES_PER_THREAD + 1 },
            { signal: ctx.signal },
          );
          replies.set(parent.ts, (thread.messages ?? []).filter((m) => m.ts !== parent.ts));
        }
      }
      const authors = [...kept, ...[...replies.values()].flat()].map(authorOf);
      const names = await directory.names(authors.filter((a) => /^[UW]/.test(a)), ctx.signal);
      const view = (m: SlackMessageJson) => toMessageView(m, names, TEXT_LENGTH);

      const counts = new Map<string, number>();
      for (const m of kept) counts.set(authorOf(m), (counts.get(authorOf(m)) ?? 0) + 1);
      const timelinePick = new Set(
        [...kept].sort((a, b) => engagement(b) - engagement(a) || (b.text?.length ?? 0) - (a.text?.length ?? 0)).slice(0, TIMELINE_SIZE),
      );
      return {
        channel: { id: channel.id, ...(channel.name ? { name: channel.name } : {}) },
        since: new Date(sinceMs).toISOString(),
        until: new Date(untilMs).toISOString(),
        messageCount: kept.length,
        replyCount: kept.reduce((sum, m) => sum + (m.reply_count ?? 0), 0),
        truncated,
        participants: [...counts]
          .sort((a, b) => b[1] - a[1])
          .map(([user, count]) => ({ user, ...(names.get(user) && names.get(user) !== user ? { userName: names.get(user)! } : {}), messages: count })),
        busiestThreads: busiest.map((m) => ({
          ...view(m),
          ...(replies.has(m.ts) ? { replies: replies.get(m.ts)!.map(view) } : {}),
        })),
        mostReacted: kept
          .filter((m) => reactionCount(m) > 0)
          .sort((a, b) => reactionCount(b) - reactionCount(a))
          .slice(0, TOP)
          .map(view),
        timeline: kept.filter((m) => timelinePick.has(m)).map(view),
        omittedFromTimeline: kept.length - timelinePick.size,
      };
    },
    preview(args) {
      return { summary: `Would read ${args.channel} since ${args.since} and build a digest.`, details: args };
    },
  });
}
