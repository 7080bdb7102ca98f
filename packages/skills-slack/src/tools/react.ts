import { defineTool } from '@claw/core';
import { z } from 'zod';
import { describeDestination, resolveForPreview } from './post-message';
import { channelInput, tsInput, type SlackToolDeps } from './tool-inputs';

const input = z.object({
  channel: channelInput,
  ts: tsInput.describe('The ts of the message to react to.'),
  name: z
    .string()
    .regex(/^:?[a-z0-9_+'-]{1,100}:?$/, 'Use an emoji name such as "eyes" or "white_check_mark".')
    .transform((name) => name.replace(/^:|:$/g, ''))
    .describe('Emoji name without colons, e.g. "eyes".'),
});

/**
 * `slack_react`: adds an emoji reaction to a message. Visible to the channel, so it needs the channel's write
 * grant (`slack:write:{channel}`), like posting.
 */
export function reactTool(deps: SlackToolDeps) {
  return defineTool({
    name: 'slack_react',
    description: 'Add an emoji reaction (e.g. "eyes", "white_check_mark") to a Slack message.',
    input,
    scopes: ['slack:write:{channel}'],
    effect: 'write',
    async execute(args, ctx) {
      const channel = await deps.directory.channel(args.channel, ctx.signal);
      await deps.client.call('reactions.add', { channel: channel.id, timestamp: args.ts, name: args.name }, { signal: ctx.signal });
      return { channel: channel.id, ts: args.ts, reaction: args.name };
    },
    async preview(args, ctx) {
      const { channel, problem } = await resolveForPreview(deps, args.channel, ctx.signal);
      const destination = describeDestination(args.channel, channel, problem);
      return {
        summary: `Would react :${args.name}: to message ${args.ts} in ${destination}.`,
        details: { destination, channel: channel?.id ?? args.channel, ts: args.ts, reaction: args.name },
      };
    },
  });
}
