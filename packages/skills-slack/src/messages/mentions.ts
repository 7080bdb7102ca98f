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

const RANGES = new Set(['channel', 'here', 'everyone']);

/**
 * Finds broadcasts, people and groups a message notifies. Blocks are searched as JSON (every text inside them) and
 * walked for rich-text elements, which notify without any markup: `{ type: 'broadcast', range: 'channel' }`,
 * `{ type: 'user', user_id }` and `{ type: 'usergroup', usergroup_id }`.
 */
export function analyzeMentions(text: string, blocks?: readonly unknown[]): MessageMentions {
  const all = blocks && blocks.length > 0 ? `${text}\n${JSON.stringify(blocks)}` : text;
  const broadcasts = new Set<'channel' | 'here' | 'everyone'>();
  const users = new Set<string>();
  const userGroups = new Set<string>();
  for (const match of all.matchAll(SPECIAL)) broadcasts.add(match[1] as 'channel');
  for (const match of all.matchAll(PLAIN)) broadcasts.add(match[1] as 'channel');
  for (const match of all.matchAll(USER)) users.add(match[1]!);
  for (const match of all.matchAll(GROUP)) userGroups.add(match[1]!);
  const visit = (node: unknown, depth: number): void => {
    if (depth > 32 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((item) => visit(item, depth + 1));
    const element = node as Record<string, unknown>;
    if (element.type === 'broadcast') {
      // Slack treats an unknown range as no broadcast; an approver must not: anything odd counts as @channel.
      broadcasts.add(typeof element.range === 'string' && RANGES.has(element.range) ? (element.range as 'channel') : 'channel');
    }
    if (element.type === 'user' && typeof element.user_id === 'string') users.add(element.user_id);
    if (element.type === 'usergroup' && typeof element.usergroup_id === 'string') userGroups.add(element.usergroup_id);
    for (const value of Object.values(element)) visit(value, depth + 1);
  };
  visit(blocks ?? [], 0);
  return { broadcasts: [...broadcasts], users: [...users], userGroups: [...userGroups] };
}

/**
 * Escapes text for Slack mrkdwn so it shows literally: `<!channel>` in untrusted text must not notify anyone, and
 * `<https://evil|bank>` must not become a disguised link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
