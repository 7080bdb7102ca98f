import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { SlackUserInfo } from '../directory/slack-directory';
import type { SlackToolDeps } from './tool-inputs';

const input = z
  .object({
    id: z.string().regex(/^[UW][A-Z0-9]{6,}$/).optional().describe('A Slack user id, e.g. "U0123456789".'),
    email: z.string().email().optional().describe('An email address.'),
    name: z.string().min(2).max(80).optional().describe('Part of a handle, real name or display name.'),
  })
  .refine((v) => [v.id, v.email, v.name].filter((x) => x !== undefined).length === 1, {
    message: 'Give exactly one of id, email or name.',
  });

/**
 * `slack_lookup_user`: finds people by id, email or (part of) their name. Output is untrusted: profile fields
 * are written by the people themselves.
 */
export function lookupUserTool({ directory }: SlackToolDeps) {
  return defineTool({
    name: 'slack_lookup_user',
    description: 'Find Slack users by id, email address or name; returns their ids (for slack_dm and mentions like <@U…>) and names.',
    input,
    scopes: ['slack:read'],
    effect: 'read',
    untrustedOutput: true,
    async execute(args, ctx): Promise<{ users: SlackUserInfo[] }> {
      let users: (SlackUserInfo | undefined)[];
      if (args.id) users = [await directory.user(args.id, ctx.signal)];
      else if (args.email) users = [await directory.userByEmail(args.email, ctx.signal)];
      else users = await directory.searchUsers(args.name!, 10, ctx.signal);
      return { users: users.filter((u): u is SlackUserInfo => u !== undefined) };
    },
    preview(args) {
      return { summary: `Would look up the Slack user ${args.id ?? args.email ?? args.name}.`, details: args };
    },
  });
}
