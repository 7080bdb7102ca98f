import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the stand-in received, with its parsed JSON body. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** One server-sent event: its `event:` name and JSON `data`. */
export interface WireEvent {
  event: string;
  data: unknown;
}

/** How the stand-in answers one request. */
export type Reply =
  | { type: 'json'; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | { type: 'text'; status?: number; body: string; contentType: string }
  /** A Messages API event stream; `dropAfter` cuts the connection after that many events. */
  | { type: 'sse'; events: WireEvent[]; dropAfter?: number }
  | { type: 'drop' };

/**
 * A local stand-in for Anthropic's Messages API (`POST /v1/messages`) speaking the real wire format: JSON bodies,
 * named SSE events (`message_start` … `message_stop`, `ping`, `error`), the `{ type: 'error', error: { type,
 * message } }` error body and `request-id` headers. Replies are queued per test; a request with no queued reply
 * gets a 500, so a test never hangs on it.
 */
export interface StandIn {
  /** Base URL to give the client, e.g. `http://127.0.0.1:51234`. */
  baseURL: string;
  requests: RecordedRequest[];
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

let requestCounter = 0;

/** Anthropic's error body for a given error type. */
export function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: `req_stand_in_${requestCounter}` };
}

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
      res.setHeader('request-id', `req_stand_in_${++requestCounter}`);
      // The key may travel as x-api-key or as a bearer token, depending on the client version.
      const presented = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (options.apiKey !== undefined && presented !== options.apiKey) {
        return send(res, { type: 'json', status: 401, body: errorBody('authentication_error', 'invalid x-api-key') });
      }
      send(res, queue.shift() ?? { type: 'json', status: 500, body: errorBody('api_error', 'stand-in: no reply queued') });
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
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        reply.events.forEach(({ event, data }, index) => {
          if (reply.dropAfter !== undefined && index >= reply.dropAfter) return;
          res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        });
        // Without `dropAfter` the stream ends properly; with it the socket closes without the terminating chunk.
        if (reply.dropAfter !== undefined) res.socket?.end();
        else res.end();
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
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
