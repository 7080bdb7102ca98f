/** A Slack message as Slack's JSON has it (the fields the tools read). */
export interface SlackMessageJson {
  ts: string;
  user?: string;
  bot_id?: string;
  username?: string;
  text?: string;
  subtype?: string;
  thread_ts?: string;
  reply_count?: number;
  reactions?: { name: string; count?: number; users?: string[] }[];
  files?: { name?: string; title?: string }[];
}

/** A message as the model sees it: who, when, what, and how others engaged with it. */
export interface SlackMessageView {
  /** Slack's timestamp of the message (`seconds.micros`), which is also its id in the channel. */
  ts: string;
  /** ISO 8601 time the message was posted. */
  time: string;
  /** User id (or bot id) of the author. */
  user: string;
  /** The author's display name, when known. */
  userName?: string;
  /** The message text (Slack mrkdwn). */
  text: string;
  /** Set on replies (the parent's ts) and on thread parents (their own ts). */
  threadTs?: string;
  /** Replies in the thread this message starts. */
  replyCount?: number;
  /** Emoji reactions and how many people added each. */
  reactions?: {
    /** Emoji name without colons, e.g. `eyes`. */
    name: string;
    /** People who reacted with it. */
    count: number;
  }[];
  /** Names or titles of attached files. */
  files?: string[];
  /** Posted by a bot or app. */
  bot?: true;
}

/** Converts a Slack timestamp (`seconds.micros`) to an ISO time. */
export function tsToIso(ts: string): string {
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}

/** The author id of a message: a user, or a bot for bot posts without a user. */
export function authorOf(message: SlackMessageJson): string {
  return message.user ?? message.bot_id ?? message.username ?? 'unknown';
}

/** Turns Slack's message JSON into a {@link SlackMessageView}; `names` maps user ids to display names. */
export function toMessageView(message: SlackMessageJson, names: ReadonlyMap<string, string>, maxTextLength?: number): SlackMessageView {
  const user = authorOf(message);
  const text = message.text ?? '';
  const userName = names.get(user);
  return {
    ts: message.ts,
    time: tsToIso(message.ts),
    user,
    ...(userName && userName !== user ? { userName } : {}),
    text: maxTextLength !== undefined && text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text,
    ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
    ...(message.reply_count ? { replyCount: message.reply_count } : {}),
    ...(message.reactions?.length
      ? { reactions: message.reactions.map((r) => ({ name: r.name, count: r.count ?? r.users?.length ?? 1 })) }
      : {}),
    ...(message.files?.length ? { files: message.files.map((f) => f.title ?? f.name ?? 'file') } : {}),
    ...(message.bot_id && !message.user ? { bot: true as const } : {}),
  };
}

/** Total reactions on a message. */
export function reactionCount(message: SlackMessageJson): number {
  return (message.reactions ?? []).reduce((sum, r) => sum + (r.count ?? r.users?.length ?? 1), 0);
}
