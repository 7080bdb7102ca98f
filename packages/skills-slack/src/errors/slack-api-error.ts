import { ExternalServiceError } from '@claw/core';

/**
 * How a Slack call failed:
 * - `platform`: Slack answered `ok: false` (the `slackCode` is Slack's `error`, e.g. `channel_not_found`);
 * - `rate_limited`: HTTP 429 that the retry policy would not (or could no longer) wait out;
 * - `http`: any other non-200 status, e.g. a 500 that outlasted its retries;
 * - `request`: the request never got an answer (connection refused, DNS, timeout).
 */
export type SlackErrorKind = 'platform' | 'rate_limited' | 'http' | 'request';

/** What {@link SlackApiError} is built from. */
export interface SlackApiErrorOptions {
  /** The Web API method called, e.g. `chat.postMessage`. */
  method: string;
  /** Which layer failed. */
  kind: SlackErrorKind;
  /** Slack's error string for `platform` (`not_in_channel`), else `ratelimited`, `http_<status>` or `request_failed`. */
  slackCode: string;
  /** The HTTP status, for `rate_limited` (429) and `http`. */
  status?: number;
  /** Slack's Retry-After, in milliseconds, for `rate_limited`. */
  retryAfterMs?: number;
  /** Extra context for the message, e.g. the channel the call was about. */
  target?: string;
  /** OAuth scope Slack says is missing (`missing_scope` replies name it in `needed`). */
  neededScope?: string;
  /** What the official client threw. */
  cause?: unknown;
}

// What to do about the errors people actually meet; anything else gets Slack's code and the method.
const ADVICE: Readonly<Record<string, string>> = {
  channel_not_found: 'The channel does not exist or the Slack app cannot see it: check the name or ID, and invite the app to private channels.',
  not_in_channel: 'The Slack app is not a member of this channel: invite it with /invite @<app name>.',
  is_archived: 'The channel is archived: unarchive it or use another channel.',
  invalid_auth: 'Slack rejected the token: check SLACK_BOT_TOKEN (it should start with xoxb-) and that the app is installed in the workspace.',
  not_authed: 'No Slack token was sent: pass a token to createSlackClient().',
  token_revoked: 'The Slack token was revoked: reinstall the app and use the new token.',
  account_inactive: 'The Slack token belongs to a deactivated user or app: reinstall the app.',
  missing_scope: 'The Slack app lacks an OAuth scope this call needs: add it under OAuth & Permissions and reinstall the app.',
  user_not_found: 'No Slack user has that ID: look the person up with slack_lookup_user first.',
  users_not_found: 'No Slack user has that email address.',
  thread_not_found: 'No thread starts at that timestamp in this channel: pass the ts of the thread\'s parent message.',
  message_not_found: 'No message has that timestamp in this channel.',
  already_reacted: 'The app already added that reaction to this message.',
  invalid_name: 'That emoji name does not exist in this workspace: use a name like "eyes" without colons.',
  no_text: 'The message is empty: pass text (and optionally blocks).',
  msg_too_long: 'The message is too long for Slack: shorten it or split it.',
  invalid_blocks: 'Slack rejected the blocks: check them against the Block Kit reference.',
  ratelimited: 'Slack rate-limited this call for longer than the retry policy waits: try again later or slow down.',
};

/**
 * A Slack Web API call failed. `slackCode` is Slack's own error code (branch on it: `channel_not_found`,
 * `not_in_channel`, `invalid_auth`, `ratelimited`, ...); `kind` says which layer failed; the message says what to do.
 * It is an `ExternalServiceError` (code `EXTERNAL_SERVICE`, `service` is `slack`), like every skill's failures of
 * the service behind it.
 */
export class SlackApiError extends ExternalServiceError {
  /** The Web API method called, e.g. `chat.postMessage`. */
  readonly method: string;
  /** Which layer failed. */
  declare readonly kind: SlackErrorKind;
  /** Slack's error string (`channel_not_found`, `not_in_channel`, …), or `ratelimited`, `http_<status>`, `request_failed`. */
  readonly slackCode: string;
  /** How long Slack asked to wait, for `rate_limited`; reschedule the call after it. */
  readonly retryAfterMs: number | undefined;
  /** The OAuth scope Slack says the app lacks, for `missing_scope`. */
  readonly neededScope: string | undefined;

  constructor(options: SlackApiErrorOptions) {
    const where = options.target ? ` (${options.target})` : '';
    const needed = options.neededScope ? ` Needed scope: ${options.neededScope}.` : '';
    const advice =
      ADVICE[options.slackCode] ??
      (options.kind === 'http'
        ? `Slack answered HTTP ${options.status ?? '?'}: Slack may be degraded; try again later.`
        : options.kind === 'request'
          ? 'Slack could not be reached: check the network and slackApiUrl.'
          : 'See https://docs.slack.dev/reference/methods for what this error means for the method.');
    super({
      service: 'slack',
      kind: options.kind,
      message: `Slack ${options.method} failed with "${options.slackCode}"${where}. ${advice}${needed}`,
      cause: options.cause,
      ...(options.status !== undefined ? { status: options.status } : {}),
    });
    this.method = options.method;
    this.slackCode = options.slackCode;
    this.retryAfterMs = options.retryAfterMs;
    this.neededScope = options.neededScope;
  }
}
