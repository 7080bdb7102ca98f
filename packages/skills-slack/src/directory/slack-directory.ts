import type { SlackClient } from '../client/slack-client';
import { SlackApiError } from '../errors/slack-api-error';

/** A channel as the tools describe it. */
export interface SlackChannelInfo {
  /** Slack's channel id (`C…` public, `G…` private, `D…` direct message). */
  id: string;
  /** Without `#`; undefined for DMs. */
  name?: string;
  /** A private channel: only its members see it. */
  isPrivate: boolean;
  /** A direct-message conversation. */
  isIm: boolean;
  /** Archived: readable, but nothing can be posted. */
  isArchived: boolean;
  /** Whether the app is a member (it can only read and post where it is). */
  isMember: boolean;
  /** How many people the channel reaches, when Slack said. */
  memberCount?: number;
}

/** A person as the tools describe them. */
export interface SlackUserInfo {
  /** Slack's user id (`U…`); mention a person as `<@id>`. */
  id: string;
  /** The account's handle. */
  name: string;
  /** The full name, when set. */
  realName?: string;
  /** The name shown in Slack, when the person set one. */
  displayName?: string;
  /** The email address, when the app may read it (`users:read.email`). */
  email?: string;
  /** A bot or app account. */
  isBot: boolean;
  /** A deactivated account. */
  deleted: boolean;
  /** The person's time zone, e.g. `Europe/Oslo`. */
  tz?: string;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const TTL_MS = 10 * 60_000;

interface SlackChannelJson {
  id: string;
  name?: string;
  is_private?: boolean;
  is_im?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
  num_members?: number;
}

interface SlackUserJson {
  id: string;
  name: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  tz?: string;
  profile?: { real_name?: string; display_name?: string; email?: string };
}

/** Converts Slack's user JSON into {@link SlackUserInfo}. */
export function toUserInfo(user: SlackUserJson): SlackUserInfo {
  const displayName = user.profile?.display_name || undefined;
  const realName = user.real_name || user.profile?.real_name || undefined;
  return {
    id: user.id,
    name: user.name,
    ...(realName ? { realName } : {}),
    ...(displayName ? { displayName } : {}),
    ...(user.profile?.email ? { email: user.profile.email } : {}),
    isBot: user.is_bot ?? false,
    deleted: user.deleted ?? false,
    ...(user.tz ? { tz: user.tz } : {}),
  };
}

function toChannelInfo(channel: SlackChannelJson): SlackChannelInfo {
  return {
    id: channel.id,
    ...(channel.name ? { name: channel.name } : {}),
    isPrivate: channel.is_private ?? false,
    isIm: channel.is_im ?? false,
    isArchived: channel.is_archived ?? false,
    isMember: channel.is_member ?? false,
    ...(typeof channel.num_members === 'number' ? { memberCount: channel.num_members } : {}),
  };
}

/**
 * Resolves `#names` to channel ids and user ids to people, with a short-lived cache so a digest of a busy
 * channel does not look the same person up a hundred times.
 */
export class SlackDirectory {
  private readonly channelIds = new Map<string, { id: string; at: number }>();
  private readonly users = new Map<string, { user: SlackUserInfo | undefined; at: number }>();

  constructor(private readonly client: SlackClient) {}

  /**
   * The channel a `#name` or id refers to, with its member count.
   * @throws SlackApiError `channel_not_found` when no visible channel has that name or id.
   */
  async channel(ref: string, signal: AbortSignal): Promise<SlackChannelInfo> {
    const id = CHANNEL_ID.test(ref) ? ref : await this.channelIdByName(ref.replace(/^#/, ''), signal);
    const { channel } = await this.client.call<{ channel: SlackChannelJson }>(
      'conversations.info',
      { channel: id, include_num_members: true },
      { signal },
    );
    return toChannelInfo(channel);
  }

  private async channelIdByName(name: string, signal: AbortSignal): Promise<string> {
    const cached = this.channelIds.get(name);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.id;
    const args = { types: 'public_channel,private_channel', exclude_archived: false, limit: 200 };
    for await (const page of this.client.pages<{ channels?: SlackChannelJson[] }>('conversations.list', args, { signal })) {
      for (const channel of page.channels ?? []) {
        if (channel.name) this.channelIds.set(channel.name, { id: channel.id, at: Date.now() });
      }
      const found = this.channelIds.get(name);
      if (found) return found.id;
    }
    throw new SlackApiError({ method: 'conversations.list', kind: 'platform', slackCode: 'channel_not_found', target: `#${name}` });
  }

  /** A person by id, or undefined when Slack does not know them. Other failures throw. */
  async user(id: string, signal: AbortSignal): Promise<SlackUserInfo | undefined> {
    const cached = this.users.get(id);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.user;
    let user: SlackUserInfo | undefined;
    try {
      user = toUserInfo((await this.client.call<{ user: SlackUserJson }>('users.info', { user: id }, { signal })).user);
    } catch (error) {
      if (!(error instanceof SlackApiError && error.slackCode === 'user_not_found')) throw error;
    }
    this.users.set(id, { user, at: Date.now() });
    return user;
  }

  /** Display names for a set of user ids (falls back to the id for people Slack does not know). */
  async names(ids: Iterable<string>, signal: AbortSignal): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(ids)) {
      const user = await this.user(id, signal);
      names.set(id, user ? (user.displayName ?? user.realName ?? user.name) : id);
    }
    return names;
  }

  /** A person by email, or undefined. Needs the `users:read.email` OAuth scope. */
  async userByEmail(email: string, signal: AbortSignal): Promise<SlackUserInfo | undefined> {
    try {
      const { user } = await this.client.call<{ user: SlackUserJson }>('users.lookupByEmail', { email }, { signal });
      return toUserInfo(user);
    } catch (error) {
      if (error instanceof SlackApiError && error.slackCode === 'users_not_found') return undefined;
      throw error;
    }
  }

  /** People whose handle, real name or display name contains `query` (case-insensitive), at most `limit`. */
  async searchUsers(query: string, limit: number, signal: AbortSignal): Promise<SlackUserInfo[]> {
    const needle = query.replace(/^@/, '').toLowerCase();
    const found: SlackUserInfo[] = [];
    for await (const page of this.client.pages<{ members?: SlackUserJson[] }>('users.list', { limit: 200 }, { signal, maxPages: 50 })) {
      for (const member of page.members ?? []) {
        const user = toUserInfo(member);
        const haystack = [user.name, user.realName, user.displayName].filter(Boolean).join(' ').toLowerCase();
        if (!user.deleted && haystack.includes(needle)) found.push(user);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }
}
