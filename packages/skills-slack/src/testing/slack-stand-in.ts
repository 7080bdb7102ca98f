import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { standInMethods, type MethodReply, type StandInContext } from './stand-in-methods';
import {
  TimestampClock,
  compareTs,
  type StandInChannel,
  type StandInMessage,
  type StandInUser,
} from './stand-in-workspace';

/** A failure the stand-in returns instead of answering, to exercise error handling. */
export type StandInFailure =
  | { type: 'rate_limited'; retryAfterSeconds: number }
  | { type: 'http'; status: number; body?: string }
  | { type: 'error'; error: string; needed?: string }
  /** Answer normally, but only after this long (to exercise timeouts and aborts). */
  | { type: 'slow'; delayMs: number };

/** One request the stand-in received, as parsed from the wire. */
export interface StandInRequest {
  method: string;
  params: Record<string, unknown>;
  contentType: string;
  /** What was answered: the HTTP status and Slack's `error` when `ok` was false. */
  status: number;
  error?: string;
  /** The client hung up before the answer was sent. */
  aborted?: boolean;
}

/** Options for {@link startSlackStandIn}. */
export interface SlackStandInOptions {
  /** The only token accepted. Default `xoxb-stand-in`. */
  token?: string;
  botUserId?: string;
  teamId?: string;
}

/** What a test or example adds as a message. */
export interface StandInMessageInput {
  user: string;
  text: string;
  /** Post it as a reply in this thread. */
  threadTs?: string;
  /** When it was posted (default now); used to build history "since" a time. */
  at?: Date | number;
  blocks?: unknown[];
}

/** A running stand-in of Slack's Web API; see {@link startSlackStandIn}. */
export interface SlackStandIn {
  /** Pass as `slackApiUrl`, e.g. `http://127.0.0.1:39123/api/`. */
  readonly url: string;
  readonly token: string;
  readonly botUserId: string;
  /** Every request received, in order. */
  readonly requests: StandInRequest[];
  addUser(user: StandInUser): void;
  addChannel(channel: { name: string; id?: string; isPrivate?: boolean; isArchived?: boolean; botIsMember?: boolean; members?: string[] }): StandInChannel;
  addMessage(channel: string, message: StandInMessageInput): StandInMessage;
  /** A person adds a reaction (as if they clicked it in Slack). */
  addReaction(channel: string, ts: string, name: string, userId: string): void;
  /** Messages of a channel (by id or name), oldest first, replies included. */
  messages(channel: string): StandInMessage[];
  /** Answers the next `times` calls of `method` (or any method, with `*`) with a failure. */
  failNext(method: string, failure: StandInFailure, times?: number): void;
  /** Called for every message posted through the API (not for `addMessage`); returns an unsubscribe function. */
  onMessage(listener: (channel: StandInChannel, message: StandInMessage) => void): () => void;
  /**
   * The `block_actions` payload Slack would send to an interactivity endpoint when `userId` clicks the button
   * with `actionId` on a message.
   * @throws Error when the message or button does not exist.
   */
  clickButton(channel: string, ts: string, actionId: string, userId: string): Record<string, unknown>;
  close(): Promise<void>;
}

async function readParams(req: IncomingMessage, url: URL): Promise<{ params: Record<string, unknown>; contentType: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (contentType === 'application/json' && body) Object.assign(params, JSON.parse(body));
  else if (body) Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  return { params, contentType };
}

/**
 * Starts a stand-in of Slack's Web API on 127.0.0.1 (a free port) for tests and offline examples. It speaks the
 * real wire format: POSTed form-encoded or JSON bodies, a bearer token it validates (`not_authed`, `invalid_auth`),
 * cursor paging, `ok: false` errors, and injected 429 (with Retry-After) and 5xx answers.
 */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const token = options.token ?? 'xoxb-stand-in';
  const botUserId = options.botUserId ?? 'U0CLAWBOT';
  const teamId = options.teamId ?? 'T0STANDIN';
  const users = new Map<string, StandInUser>();
  const channels = new Map<string, StandInChannel>();
  const failures = new Map<string, StandInFailure[]>();
  const listeners = new Set<(channel: StandInChannel, message: StandInMessage) => void>();
  const requests: StandInRequest[] = [];
  const clock = new TimestampClock();
  let nextId = 1;
  const newId = (prefix: string) => `${prefix}${String(nextId++).padStart(8, '0')}`;

  users.set(botUserId, { id: botUserId, name: 'claw', realName: 'Claw', isBot: true });

  const findChannel = (idOrName: string) =>
    channels.get(idOrName) ?? [...channels.values()].find((c) => !c.isIm && `#${c.name}` === idOrName);

  const requireChannel = (idOrName: string) => {
    const channel = findChannel(idOrName);
    if (!channel) throw new Error(`Stand-in has no channel ${idOrName}; add it with addChannel().`);
    return channel;
  };

  const store: StandInContext['store'] = (channel, message) => {
    const stored: StandInMessage = { ...message, ts: message.ts ?? clock.next(), reactions: new Map() };
    channel.messages.push(stored);
    channel.messages.sort((a, b) => compareTs(a.ts, b.ts));
    return stored;
  };

  const ctx: StandInContext = {
    botUserId,
    botId: 'B0CLAWBOT',
    teamId,
    users,
    channels,
    findChannel,
    store,
    openDm(userId) {
      const existing = [...channels.values()].find((c) => c.isIm && c.members.has(userId));
      if (existing) return existing;
      const dm: StandInChannel = {
        id: newId('D'),
        name: userId,
        isPrivate: true,
        isIm: true,
        isArchived: false,
        members: new Set([botUserId, userId]),
        created: Math.floor(Date.now() / 1000),
        topic: '',
        messages: [],
      };
      channels.set(dm.id, dm);
      return dm;
    },
    notifyMessage(channel, message) {
      for (const listener of listeners) listener(channel, message);
    },
  };

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }

  function takeFailure(method: string): StandInFailure | undefined {
    for (const key of [method, '*']) {
      const queue = failures.get(key);
      if (queue && queue.length > 0) return queue.shift();
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = url.pathname.replace(/^\/api\//, '');
    let parsed: { params: Record<string, unknown>; contentType: string };
    try {
      parsed = await readParams(req, url);
    } catch {
      send(res, 200, JSON.stringify({ ok: false, error: 'invalid_json' }));
      return;
    }
    const record: StandInRequest = { method, params: parsed.params, contentType: parsed.contentType, status: 200 };
    requests.push(record);
    const answer = (status: number, reply: MethodReply | string, headers?: Record<string, string>) => {
      record.status = status;
      if (typeof reply !== 'string' && !reply.ok) record.error = String(reply.error);
      send(res, status, typeof reply === 'string' ? reply : JSON.stringify(reply), headers);
    };

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const presented = bearer ?? (typeof parsed.params.token === 'string' ? parsed.params.token : undefined);
    if (!url.pathname.startsWith('/api/')) return answer(404, { ok: false, error: 'unknown_method' });
    if (presented === undefined) return answer(200, { ok: false, error: 'not_authed' });
    if (presented !== token) return answer(200, { ok: false, error: 'invalid_auth' });

    const failure = takeFailure(method);
    if (failure?.type === 'rate_limited') {
      return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterSeconds) });
    }
    if (failure?.type === 'http') return answer(failure.status, failure.body ?? 'Internal Server Error', { 'content-type': 'text/plain' });
    if (failure?.type === 'error') {
      return answer(200, { ok: false, error: failure.error, ...(failure.needed ? { needed: failure.needed, provided: 'chat:write' } : {}) });
    }
    if (failure?.type === 'slow') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, failure.delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed || res.writableEnded) {
        record.aborted = true;
        return;
      }
    }
    const handler = Object.hasOwn(standInMethods, method) ? standInMethods[method] : undefined;
    if (!handler) return answer(200, { ok: false, error: 'unknown_method' });
    answer(200, handler(ctx, parsed.params));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, String(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    botUserId,
    requests,
    addUser(user) {
      users.set(user.id, user);
    },
    addChannel(input) {
      const channel: StandInChannel = {
        id: input.id ?? newId(input.isPrivate ? 'G' : 'C'),
        name: input.name.replace(/^#/, ''),
        isPrivate: input.isPrivate ?? false,
        isIm: false,
        isArchived: input.isArchived ?? false,
        members: new Set([...(input.botIsMember === false ? [] : [botUserId]), ...(input.members ?? [])]),
        created: Math.floor(Date.now() / 1000),
        topic: '',
        messages: [],
      };
      channels.set(channel.id, channel);
      return channel;
    },
    addMessage(channelRef, input) {
      const channel = requireChannel(channelRef);
      let ts: string | undefined;
      if (input.at !== undefined) {
        const ms = input.at instanceof Date ? input.at.getTime() : input.at;
        ts = clock.next(ms);
      }
      return store(channel, {
        user: input.user,
        text: input.text,
        ...(input.threadTs ? { threadTs: input.threadTs } : {}),
        ...(input.blocks ? { blocks: input.blocks } : {}),
        ...(ts ? { ts } : {}),
      });
    },
    addReaction(channelRef, ts, name, userId) {
      const message = requireChannel(channelRef).messages.find((m) => m.ts === ts);
      if (!message) throw new Error(`Stand-in has no message ${ts} in ${channelRef}.`);
      const reacted = message.reactions.get(name) ?? [];
      if (!reacted.includes(userId)) message.reactions.set(name, [...reacted, userId]);
    },
    messages(channelRef) {
      return [...requireChannel(channelRef).messages];
    },
    failNext(method, failure, times = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clickButton(channelRef, ts, actionId, userId) {
      const channel = requireChannel(channelRef);
      const message = channel.messages.find((m) => m.ts === ts);
      let button: Record<string, unknown> | undefined;
      let blockId = '';
      for (const block of (message?.blocks ?? []) as { block_id?: string; elements?: Record<string, unknown>[] }[]) {
        const found = block.elements?.find((element) => element.action_id === actionId);
        if (found) {
          button = found;
          blockId = block.block_id ?? '';
          break;
        }
      }
      if (!message || !button) throw new Error(`Stand-in has no button "${actionId}" on message ${ts} in ${channelRef}.`);
      const user = users.get(userId);
      return {
        type: 'block_actions',
        team: { id: teamId, domain: 'stand-in' },
        user: { id: userId, username: user?.name ?? userId, name: user?.name ?? userId, team_id: teamId },
        api_app_id: 'A0STANDIN',
        container: { type: 'message', message_ts: ts, channel_id: channel.id, is_ephemeral: false },
        trigger_id: `${Date.now()}.trigger`,
        channel: { id: channel.id, name: channel.name },
        message: { type: 'message', ts, text: message.text, blocks: message.blocks },
        response_url: `http://127.0.0.1:${port}/actions/response`,
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: blockId,
            value: button.value,
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
