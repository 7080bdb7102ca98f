import type { SlackClient } from '../client/slack-client';

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

/**
 * Every channel's id and name, read once from `conversations.list`, so a channel rule written with names also
 * holds for the same channel given by id (and the other way round).
 */
export interface SlackChannelNames {
  /** `#name` for a known channel id. */
  nameOf(id: string): string | undefined;
  /** The id of a known `#name`. */
  idOf(name: string): string | undefined;
}

/**
 * Reads the names and ids of every channel the token can see (public and private, archived included).
 * @throws SlackApiError when Slack refuses (`missing_scope` needs `channels:read` / `groups:read`).
 */
export async function loadSlackChannelNames(client: SlackClient, signal?: AbortSignal): Promise<SlackChannelNames> {
  const names = new Map<string, string>();
  const ids = new Map<string, string>();
  const args = { types: 'public_channel,private_channel', exclude_archived: false, limit: 200 };
  for await (const page of client.pages<{ channels?: { id: string; name?: string }[] }>('conversations.list', args, { ...(signal ? { signal } : {}), maxPages: 500 })) {
    for (const channel of page.channels ?? []) {
      if (!channel.name) continue;
      names.set(channel.id, `#${channel.name}`);
      ids.set(`#${channel.name}`, channel.id);
    }
  }
  return { nameOf: (id) => names.get(id), idOf: (name) => ids.get(name) };
}

/** True for a Slack channel id (`C…`, `G…`, `D…`) rather than a `#name`. */
export function isChannelId(ref: string): boolean {
  return CHANNEL_ID.test(ref);
}
