import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True when the request came to a loopback host name, where browsers accept no Secure cookies over plain HTTP. */
export function isLocalRequest(url: string): boolean {
  const host = new URL(url).hostname;
  return LOCAL_HOSTS.has(host) || host.endsWith('.localhost');
}

/** Reads a cookie the console set. */
export function readConsoleCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}

/** Sets a cookie as the console sets all of its cookies: HttpOnly, SameSite=Lax, Secure unless on localhost. */
export function setConsoleCookie(c: Context, name: string, value: string, options: { path: string; secure?: boolean; maxAgeSeconds?: number }): void {
  setCookie(c, name, value, {
    path: options.path,
    httpOnly: true,
    sameSite: 'Lax',
    secure: options.secure ?? !isLocalRequest(c.req.url),
    ...(options.maxAgeSeconds !== undefined ? { maxAge: options.maxAgeSeconds } : {}),
  });
}
