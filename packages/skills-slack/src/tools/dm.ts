import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { SlackUserInfo } from '../directory/slack-directory';
import { SlackApiError } from '../errors/slack-api-error';
import { blocksInput, type SlackToolDeps } from './tool-inputs';

const input = z.object({
  user: z
    .string()
    .regex(/^([UW][A-Z0-9]{6,}|[^\s@]+@[^\s@]+\.[^\s@]+)$/, 'Use a Slack user id ("U0123456789") or an email address.')
    .describe('The recipient: a Slack user id (from slack_lookup_user) or their email address.'),
  text: z.string().min(1).max(40_000).describe('The message (Slack mrkdwn).'),
  blocks: blocksInput.optional(),
});

async function recipient(deps: SlackToolDeps, user: string, signal: AbortSignal): Promise<SlackUserInfo | undefined> {
  return user.includes('@') ? deps.directory.userByEmail(user, signal) : deps.directory.user(user, signal);
}

function label(user: SlackUserInfo): string {
  return `${user.realName ?? user.displayName ?? user.name} (@${user.name}, ${user.id})`;
}

/**
 * `slack_dm`: sends a direct message to one person (opens the DM if needed). Needs the `slack:dm` grant.
 */
export function dmTool(deps: SlackToolDeps) {
  return defineTool({
    name: 'slack_dm',
    description: 'Send a direct message to one person in Slack, by user id or email address.',
    input,
    scopes: ['slack:dm'],
    effect: 'external',
    // The destination is checked for untrusted influence, and so are the links in the message: the text may quote
    // what it answers or summarises, but a link only outside content named is how phishing travels.
    linkInputs: ['text', 'blocks'],
    sensitiveInputs: ['user'],
    async execute(args, ctx) {
      const user = await recipient(deps, args.user, ctx.signal);
      if (!user) {
        throw new SlackApiError({ method: 'users.info', kind: 'platform', slackCode: args.user.includes('@') ? 'users_not_found' : 'user_not_found', target: args.user });
      }
      const { channel } = await deps.client.call<{ channel: { id: string } }>('conversations.open', { users: user.id }, { signal: ctx.signal });
      const result = await deps.client.call<{ ts: string }>(
        'chat.postMessage',
        { channel: channel.id, text: args.text, ...(args.blocks ? { blocks: args.blocks } : {}) },
        { signal: ctx.signal },
      );
      return { user: user.id, channel: channel.id, ts: result.ts };
    },
    async preview(args, ctx) {
      const user = await recipient(deps, args.user, ctx.signal).catch((error: unknown) => {
        if (error instanceof SlackApiError) return undefined;
        throw error;
      });
      const to = user ? label(user) : `${args.user} (not found in Slack)`;
      return {
        summary: `Would send a direct message to ${to}: "${args.text}"`,
        details: { destination: to, user: user?.id ?? args.user, text: args.text, ...(args.blocks ? { blocks: args.blocks } : {}) },
      };
    },
  });
}
