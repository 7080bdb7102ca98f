import { z } from 'zod';
import type { SlackClient } from '../client/slack-client';
import type { SlackDirectory } from '../directory/slack-directory';

/** What every Slack tool is built from. */
export interface SlackToolDeps {
  client: SlackClient;
  directory: SlackDirectory;
  /** Most messages one digest reads. */
  maxDigestMessages: number;
}

/**
 * A channel as a tool input: `#name` or an id. Write scopes are checked against this value as written
 * (`slack:write:#ops`), so its shape is strict: no spaces, colons or wildcards can reach a scope.
 */
export const channelInput = z
  .string()
  .regex(
    /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/,
    'Use "#channel-name" in lowercase (e.g. "#ops") or a channel id such as "C0123456789".',
  )
  .describe('The channel as "#name" (preferred, e.g. "#ops") or a channel id such as "C0123456789".');

/** A Slack message timestamp, e.g. `1715000000.123456`. */
export const tsInput = z
  .string()
  .regex(/^\d{9,}\.\d{1,6}$/, 'Use a Slack message ts such as "1715000000.123456" (from slack_read_channel).');

/** Block Kit blocks, passed to Slack as they are. */
export const blocksInput = z
  .array(z.record(z.string(), z.unknown()).refine((b) => typeof b.type === 'string', 'Each block needs a "type".'))
  .max(50)
  .describe('Optional Block Kit blocks; `text` is still required as the notification and fallback text.');
