import { createHmac, timingSafeEqual } from 'node:crypto';

/** What {@link verifySlackSignature} checks: the raw request as Slack sent it. */
export interface SlackSignedRequest {
  /** Your app's signing secret (Basic Information → App Credentials). */
  signingSecret: string;
  /** The raw request body, exactly as received (before any parsing). */
  body: string;
  /** The `X-Slack-Request-Timestamp` header. */
  timestamp: string | undefined;
  /** The `X-Slack-Signature` header (`v0=…`). */
  signature: string | undefined;
  /** Requests older than this are refused, against replays. Default 300 s. */
  toleranceSeconds?: number;
  /** The current time in milliseconds, for tests. Default `Date.now()`. */
  now?: number;
}

/**
 * True when a request to your interactivity endpoint really comes from Slack (HMAC-SHA256 of `v0:timestamp:body`
 * with the signing secret, compared in constant time, timestamp within the tolerance). Call it before
 * `handleInteraction`: the payload's user id is only trustworthy when the signature holds.
 */
export function verifySlackSignature(request: SlackSignedRequest): boolean {
  const { signingSecret, body, timestamp, signature } = request;
  if (!signingSecret || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const now = Math.floor((request.now ?? Date.now()) / 1000);
  if (Math.abs(now - Number(timestamp)) > (request.toleranceSeconds ?? 300)) return false;
  const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
