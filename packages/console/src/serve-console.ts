import { serve } from '@hono/node-server';

/** Where {@link serveConsole} listens. */
export interface ServeConsoleOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`: only this machine can reach it unless you say otherwise. */
  hostname?: string;
}

/** A console listening on a Node HTTP server. */
export interface ServedConsole {
  /** The address to open, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  /** Stops accepting connections and closes the server. */
  close(): Promise<void>;
}

/**
 * Serves a console (a `ClawConsole`, or any app wrapping its `fetch`) on Node's HTTP server through `@hono/node-server`. Services with their own server mount
 * `console.fetch` instead (any framework that takes a Web `Request → Response` handler).
 */
export function serveConsole(console: { fetch(request: Request): Response | Promise<Response> }, options: ServeConsoleOptions = {}): Promise<ServedConsole> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: console.fetch, port: options.port ?? 3000, hostname }, (info) => {
      const host = hostname.includes(':') ? `[${hostname}]` : hostname;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
      });
    });
    server.once('error', reject);
  });
}
