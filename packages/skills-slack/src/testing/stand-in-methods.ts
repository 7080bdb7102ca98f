import {
  channelJson,
  compareTs,
  messageJson,
  tsMicros,
  userJson,
  type StandInChannel,
  type StandInMessage,
  type StandInUser,
} from './stand-in-workspace';

/** A Web API reply: the JSON body (with `ok`). */
export type MethodReply = Record<string, unknown> & { ok: boolean };

/** What the method handlers need from the stand-in. */
export interface StandInContext {
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly users: Map<string, StandInUser>;
  readonly channels: Map<string, StandInChannel>;
  findChannel(idOrName: string): StandInChannel | undefined;
  store(channel: StandInChannel, message: Omit<StandInMessage, 'ts' | 'reactions'> & { ts?: string }): StandInMessage;
  openDm(userId: string): StandInChannel;
  notifyMessage(channel: StandInChannel, message: StandInMessage): void;
}

/** A Web API method handler: request params in, reply out. */
export type MethodHandler = (ctx: StandInContext, params: Record<string, unknown>) => MethodReply;

const fail = (error: string, extra: Record<string, unknown> = {}): MethodReply => ({ ok: false, error, ...extra });

function text(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function flag(params: Record<string, unknown>, key: string): boolean {
  const value = params[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Opaque cursors, as Slack's are: base64 of the offset. */
function pageOf<T>(items: readonly T[], params: Record<string, unknown>, defaultLimit = 100): { page: T[]; nextCursor: string } | { error: string } {
  const limit = Math.min(Math.max(Number(text(params, 'limit') ?? defaultLimit) || defaultLimit, 1), 1000);
  const cursor = text(params, 'cursor');
  let offset = 0;
  if (cursor) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!decoded) return { error: 'invalid_cursor' };
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { page, nextCursor: next };
}

function readableChannel(ctx: StandInContext, params: Record<string, unknown>): StandInChannel | MethodReply {
  const id = text(params, 'channel');
  if (!id) return fail('channel_not_found');
  const channel = ctx.findChannel(id);
  if (!channel || (channel.isPrivate && !channel.members.has(ctx.botUserId))) return fail('channel_not_found');
  if (!channel.members.has(ctx.botUserId)) return fail('not_in_channel');
  return channel;
}

function inRange(message: StandInMessage, params: Record<string, unknown>): boolean {
  const inclusive = flag(params, 'inclusive');
  const oldest = text(params, 'oldest');
  const latest = text(params, 'latest');
  const at = tsMicros(message.ts);
  if (oldest !== undefined && (inclusive ? at < tsMicros(oldest) : at <= tsMicros(oldest))) return false;
  if (latest !== undefined && (inclusive ? at > tsMicros(latest) : at >= tsMicros(latest))) return false;
  return true;
}

function parseBlocks(params: Record<string, unknown>): unknown[] | undefined | 'invalid' {
  const raw = params.blocks;
  if (raw === undefined || raw === '') return undefined;
  try {
    const blocks = typeof raw === 'string' ? JSON.parse(raw) : raw;
    return Array.isArray(blocks) && blocks.every((b) => b && typeof b === 'object' && typeof b.type === 'string') ? blocks : 'invalid';
  } catch {
    return 'invalid';
  }
}

function findMessage(channel: StandInChannel, ts: string | undefined): StandInMessage | undefined {
  return ts === undefined ? undefined : channel.messages.find((m) => m.ts === ts);
}

/** The Web API methods the stand-in speaks, by name. */
export const standInMethods: Readonly<Record<string, MethodHandler>> = {
  'auth.test': (ctx) => ({
    ok: true,
    url: 'https://stand-in.slack.test/',
    team: 'Stand-in',
    user: 'claw',
    team_id: ctx.teamId,
    user_id: ctx.botUserId,
    bot_id: ctx.botId,
  }),

  'conversations.list': (ctx, params) => {
    const types = (text(params, 'types') ?? 'public_channel').split(',');
    const excludeArchived = flag(params, 'exclude_archived');
    const channels = [...ctx.channels.values()].filter(
      (c) =>
        !(excludeArchived && c.isArchived) &&
        ((types.includes('public_channel') && !c.isPrivate && !c.isIm) ||
          (types.includes('private_channel') && c.isPrivate && c.members.has(ctx.botUserId)) ||
          (types.includes('im') && c.isIm)),
    );
    const paged = pageOf(channels, params);
    if ('error' in paged) return fail(paged.error);
    return {
      ok: true,
      channels: paged.page.map((c) => channelJson(c, ctx.botUserId)),
      response_metadata: { next_cursor: paged.nextCursor },
    };
  },

  'conversations.info': (ctx, params) => {
    const id = text(params, 'channel');
    const channel = id ? ctx.findChannel(id) : undefined;
    if (!channel || (channel.isPrivate && !channel.members.has(ctx.botUserId))) return fail('channel_not_found');
    return { ok: true, channel: channelJson(channel, ctx.botUserId, flag(params, 'include_num_members')) };
  },

  'conversations.history': (ctx, params) => {
    const channel = readableChannel(ctx, params);
    if ('ok' in channel) return channel;
    const topLevel = channel.messages
      .filter((m) => m.threadTs === undefined && inRange(m, params))
      .sort((a, b) => compareTs(b.ts, a.ts));
    const paged = pageOf(topLevel, params);
    if ('error' in paged) return fail(paged.error);
    return {
      ok: true,
      messages: paged.page.map((m) => messageJson(m, channel)),
      has_more: paged.nextCursor !== '',
      pin_count: 0,
      response_metadata: { next_cursor: paged.nextCursor },
    };
  },

  'conversations.replies': (ctx, params) => {
    const channel = readableChannel(ctx, params);
    if ('ok' in channel) return channel;
    const parent = findMessage(channel, text(params, 'ts'));
    if (!parent || parent.threadTs !== undefined) return fail('thread_not_found');
    const thread = [parent, ...channel.messages.filter((m) => m.threadTs === parent.ts && inRange(m, params))];
    const paged = pageOf(thread, params, 10);
    if ('error' in paged) return fail(paged.error);
    return {
      ok: true,
      messages: paged.page.map((m) => messageJson(m, channel)),
      has_more: paged.nextCursor !== '',
      response_metadata: { next_cursor: paged.nextCursor },
    };
  },

  'conversations.open': (ctx, params) => {
    const users = (text(params, 'users') ?? '').split(',').filter(Boolean);
    // The stand-in opens 1:1 DMs only.
    if (users.length !== 1) return fail(users.length === 0 ? 'users_list_not_supplied' : 'too_many_users');
    if (!ctx.users.has(users[0]!)) return fail('user_not_found');
    const dm = ctx.openDm(users[0]!);
    return { ok: true, channel: { id: dm.id } };
  },

  'chat.postMessage': (ctx, params) => {
    const channel = readableChannel(ctx, params);
    if ('ok' in channel) return channel;
    if (channel.isArchived) return fail('is_archived');
    const blocks = parseBlocks(params);
    if (blocks === 'invalid') return fail('invalid_blocks');
    const body = text(params, 'text') ?? '';
    if (body === '' && !blocks) return fail('no_text');
    if (body.length > 40_000) return fail('msg_too_long');
    const threadTs = text(params, 'thread_ts');
    if (threadTs !== undefined && !findMessage(channel, threadTs)) return fail('thread_not_found');
    const message = ctx.store(channel, {
      user: ctx.botUserId,
      botId: ctx.botId,
      text: body,
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
    });
    ctx.notifyMessage(channel, message);
    return { ok: true, channel: channel.id, ts: message.ts, message: messageJson(message, channel) };
  },

  'chat.update': (ctx, params) => {
    const channel = readableChannel(ctx, params);
    if ('ok' in channel) return channel;
    const message = findMessage(channel, text(params, 'ts'));
    if (!message) return fail('message_not_found');
    if (message.user !== ctx.botUserId) return fail('cant_update_message');
    const blocks = parseBlocks(params);
    if (blocks === 'invalid') return fail('invalid_blocks');
    message.text = text(params, 'text') ?? message.text;
    if (blocks) message.blocks = blocks;
    message.edited = true;
    return { ok: true, channel: channel.id, ts: message.ts, text: message.text };
  },

  'reactions.add': (ctx, params) => {
    const channel = readableChannel(ctx, params);
    if ('ok' in channel) return channel;
    const message = findMessage(channel, text(params, 'timestamp'));
    if (!message) return fail('message_not_found');
    const name = text(params, 'name');
    if (!name || !/^[a-z0-9_+'-]+$/.test(name)) return fail('invalid_name');
    const users = message.reactions.get(name) ?? [];
    if (users.includes(ctx.botUserId)) return fail('already_reacted');
    message.reactions.set(name, [...users, ctx.botUserId]);
    return { ok: true };
  },

  'reactions.get': (ctx, params) => {
    const channel = readableChannel(ctx, params);
    if ('ok' in channel) return channel;
    const message = findMessage(channel, text(params, 'timestamp'));
    if (!message) return fail('message_not_found');
    return { ok: true, type: 'message', channel: channel.id, message: messageJson(message, channel) };
  },

  'users.info': (ctx, params) => {
    const user = ctx.users.get(text(params, 'user') ?? '');
    return user ? { ok: true, user: userJson(user, ctx.teamId) } : fail('user_not_found');
  },

  'users.list': (ctx, params) => {
    const paged = pageOf([...ctx.users.values()], params);
    if ('error' in paged) return fail(paged.error);
    return {
      ok: true,
      members: paged.page.map((u) => userJson(u, ctx.teamId)),
      response_metadata: { next_cursor: paged.nextCursor },
    };
  },

  'users.lookupByEmail': (ctx, params) => {
    const email = (text(params, 'email') ?? '').toLowerCase();
    const user = [...ctx.users.values()].find((u) => u.email?.toLowerCase() === email);
    return user ? { ok: true, user: userJson(user, ctx.teamId) } : fail('users_not_found');
  },
};
