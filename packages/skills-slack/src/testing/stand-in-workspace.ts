/**
 * The data behind the Slack stand-in: users, channels, messages and reactions of one workspace, shaped like the
 * objects Slack's Web API returns. Plain in-memory state; the HTTP layer is in `slack-stand-in.ts`.
 */

/** A user of the stand-in workspace. */
export interface StandInUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
  isBot?: boolean;
  tz?: string;
}

/** A channel (public, private or a DM) of the stand-in workspace. */
export interface StandInChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isArchived: boolean;
  /** Member user ids; the bot can only read and post where it is a member. */
  members: Set<string>;
  created: number;
  topic: string;
  messages: StandInMessage[];
}

/** A stored message; replies carry `threadTs` of their parent. */
export interface StandInMessage {
  ts: string;
  user: string;
  text: string;
  threadTs?: string;
  blocks?: unknown[];
  botId?: string;
  edited?: boolean;
  /** Reaction name → user ids, in the order they reacted. */
  reactions: Map<string, string[]>;
}

/** A message as Slack's JSON shows it. */
export function messageJson(message: StandInMessage, channel: StandInChannel): Record<string, unknown> {
  const replies = message.threadTs === undefined ? channel.messages.filter((m) => m.threadTs === message.ts) : [];
  return {
    type: 'message',
    ts: message.ts,
    user: message.user,
    text: message.text,
    ...(message.botId ? { bot_id: message.botId } : {}),
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs, parent_user_id: channel.messages.find((m) => m.ts === message.threadTs)?.user } : {}),
    ...(replies.length > 0
      ? {
          thread_ts: message.ts,
          reply_count: replies.length,
          reply_users: [...new Set(replies.map((r) => r.user))],
          latest_reply: replies[replies.length - 1]!.ts,
        }
      : {}),
    ...(message.edited ? { edited: { user: message.user, ts: message.ts } } : {}),
    ...(message.reactions.size > 0
      ? { reactions: [...message.reactions].map(([name, users]) => ({ name, users: [...users], count: users.length })) }
      : {}),
  };
}

/** A channel as Slack's JSON shows it. */
export function channelJson(channel: StandInChannel, botUserId: string, withMemberCount = false): Record<string, unknown> {
  return {
    id: channel.id,
    name: channel.isIm ? undefined : channel.name,
    is_channel: !channel.isIm && !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: channel.isIm,
    is_private: channel.isPrivate || channel.isIm,
    is_archived: channel.isArchived,
    is_member: channel.members.has(botUserId),
    created: channel.created,
    ...(channel.isIm ? { user: [...channel.members].find((m) => m !== botUserId) } : {}),
    topic: { value: channel.topic, creator: '', last_set: 0 },
    ...(withMemberCount ? { num_members: channel.members.size } : {}),
  };
}

/** A user as Slack's JSON shows it. */
export function userJson(user: StandInUser, teamId: string): Record<string, unknown> {
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    real_name: user.realName ?? user.name,
    deleted: false,
    is_bot: user.isBot ?? false,
    tz: user.tz ?? 'Europe/London',
    profile: {
      real_name: user.realName ?? user.name,
      display_name: user.name,
      ...(user.email ? { email: user.email } : {}),
    },
  };
}

/** Issues unique Slack timestamps (`seconds.micros`): now (after every earlier one), or at a given time. */
export class TimestampClock {
  private lastMicros = 0;
  private readonly used = new Set<number>();

  /** A timestamp at `atMs` (nudged by microseconds if taken), or without it: now, later than any issued so far. */
  next(atMs?: number): string {
    let micros = atMs === undefined ? Math.max(Date.now() * 1000, this.lastMicros + 1) : Math.floor(atMs * 1000);
    while (this.used.has(micros)) micros++;
    this.used.add(micros);
    this.lastMicros = Math.max(this.lastMicros, micros);
    return formatTs(micros);
  }
}

function formatTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

/** Compares Slack timestamps numerically (they are decimal strings with up to six fraction digits). */
export function compareTs(a: string, b: string): number {
  return tsMicros(a) - tsMicros(b);
}

/** A Slack timestamp (or a plain number of seconds) in microseconds; NaN when it is neither. */
export function tsMicros(ts: string): number {
  if (!/^\d+(\.\d{1,6})?$/.test(ts)) return Number.NaN;
  const [seconds, fraction = ''] = ts.split('.');
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0'));
}
