/** Who a message notifies, read from its text and blocks the way Slack renders them. */
export interface MessageMentions {
  /** `channel`, `here` or `everyone` for each broadcast the message contains. */
  broadcasts: ('channel' | 'here' | 'everyone')[];
  /** Distinct user ids mentioned as `<@U…>`. */
  users: string[];
  /** Distinct user-group ids mentioned as `<!subteam^S…>` (any number of people). */
  userGroups: string[];
}

const SPECIAL = /<!(channel|here|everyone)(?:\|[^>]*)?>/g;
// Plain "@here" only notifies with link_names, but a reader sees a broadcast: treat it as one.
const PLAIN = /(?:^|[^\w<@])@(channel|here|everyone)\b/g;
const USER = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const GROUP = /<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Finds broadcasts, people and groups a message notifies. Blocks are searched as JSON (every text inside them). */
export function analyzeMentions(text: string, blocks?: readonly unknown[]): MessageMentions {
  const all = blocks && blocks.length > 0 ? `${text}\n${JSON.stringify(blocks)}` : text;
  const broadcasts = new Set<'channel' | 'here' | 'everyone'>();
  for (const match of all.matchAll(SPECIAL)) broadcasts.add(match[1] as 'channel');
  for (const match of all.matchAll(PLAIN)) broadcasts.add(match[1] as 'channel');
  return {
    broadcasts: [...broadcasts],
    users: [...new Set([...all.matchAll(USER)].map((m) => m[1]!))],
    userGroups: [...new Set([...all.matchAll(GROUP)].map((m) => m[1]!))],
  };
}

/**
 * Escapes text for Slack mrkdwn so it shows literally: `<!channel>` in untrusted text must not notify anyone, and
 * `<https://evil|bank>` must not become a disguised link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
