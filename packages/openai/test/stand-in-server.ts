import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the stand-in received, with its parsed JSON body. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** How the stand-in answers one request. */
export type Reply =
  | { type: 'json'; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | { type: 'text'; status?: number; body: string; contentType: string }
  /** Server-sent events; `data` items are JSON-encoded unless already strings. `dropAfter` cuts the socket after that many events. */
  | { type: 'sse'; events: unknown[]; done?: boolean; dropAfter?: number; headers?: Record<string, string> }
  | { type: 'drop' };

/**
 * A local stand-in for the Chat Completions endpoint (`POST /v1/chat/completions`) speaking the real wire format:
 * JSON bodies, SSE streams ending in `data: [DONE]`, OpenAI's error body shape and `x-request-id` headers.
 * Replies are queued per test; a request with no queued reply gets a 500 so a test can never hang on it.
 */
export interface StandIn {
  /** Base URL to give the client, e.g. `http://127.0.0.1:51234/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

let requestCounter = 0;

/** Starts the stand-in on 127.0.0.1 at a free port; with `apiKey`, any other key gets the provider's real 401 body. */
export async function startStandIn(options: { apiKey?: string } = {}): Promise<StandIn> {
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
      res.setHeader('x-request-id', `req_${++requestCounter}`);
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        const shown = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        return send(res, {
          type: 'json',
          status: 401,
          body: {
            error: {
              message: `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            },
          },
        });
      }
      const next = queue.shift() ?? {
        type: 'json',
        status: 500,
        body: { error: { message: 'stand-in: no reply queued', type: 'server_error', param: null, code: null } },
      };
      send(res, next);
    });
  });

  function send(res: ServerResponse, reply: Reply): void {
    switch (reply.type) {
      case 'drop':
        res.socket?.destroy();
        return;
      case 'text':
        res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType });
        res.end(reply.body);
        return;
      case 'json': {
        const write = () => {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
          res.end(JSON.stringify(reply.body));
        };
        if (!reply.delayMs) return write();
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) write();
        }, reply.delayMs);
        timers.add(timer);
        return;
      }
      case 'sse': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
        reply.events.forEach((event, index) => {
          if (reply.dropAfter !== undefined && index >= reply.dropAfter) return;
          res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
        });
        if (reply.dropAfter !== undefined) {
          // Close the socket without the terminating chunk: the body is cut short, as when a proxy or the server dies.
          res.socket?.end();
          return;
        }
        if (reply.done !== false) res.write('data: [DONE]\n\n');
        res.end();
        return;
      }
    }
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
