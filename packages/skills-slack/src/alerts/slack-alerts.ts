import type { Alert, AlertSink } from '@claw/core';
import { InvalidArgumentError } from '@claw/core';
import type { SlackClient } from '../client/slack-client';
import { SlackDirectory } from '../directory/slack-directory';
import { escapeMrkdwn } from '../messages/mentions';

/** Options of {@link slackAlerts}. */
export interface SlackAlertsOptions {
  /** The client that posts (`createSlackClient`). */
  client: SlackClient;
  /** Where alerts go: `#claw-alerts` or a channel id. The app must be a member. */
  channel: string;
  /** Alerts below this severity are not posted. Default `info` (all). */
  minSeverity?: Alert['severity'];
}

const RANK: Record<Alert['severity'], number> = { info: 0, warning: 1, critical: 2 };
const ICON: Record<Alert['severity'], string> = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };

/** The Slack message for an alert. Alert text can quote untrusted content, so all of it is escaped. */
export function alertMessage(alert: Alert): {
  /** The notification text (severity, kind and message). */
  text: string;
  /** Block Kit blocks with the alert's facts and details. */
  blocks: Record<string, unknown>[];
} {
  const facts = [
    `principal \`${escapeMrkdwn(alert.principalId)}\``,
    ...(alert.runId ? [`run \`${escapeMrkdwn(alert.runId)}\``] : []),
    ...(alert.toolName ? [`tool \`${escapeMrkdwn(alert.toolName)}\``] : []),
    `<!date^${Math.floor(alert.at / 1000)}^{date_short_pretty} {time_secs}|${new Date(alert.at).toISOString()}>`,
  ];
  const details = alert.details && Object.keys(alert.details).length > 0 ? JSON.stringify(alert.details, null, 2) : undefined;
  const headline = `${ICON[alert.severity]} *${alert.severity}* · ${escapeMrkdwn(alert.kind)}: ${escapeMrkdwn(alert.message)}`;
  return {
    text: escapeMrkdwn(`[${alert.severity}] ${alert.kind}: ${alert.message}`).slice(0, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: headline.slice(0, 2900) } },
      ...(details ? [{ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${escapeMrkdwn(details).slice(0, 2800)}\`\`\`` } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${facts.join(' · ')} · alert \`${escapeMrkdwn(alert.id)}\`` }] },
    ],
  };
}

/**
 * An `AlertSink` that posts policy alerts (first tool use, repeated denials, suspected prompt injection, failed
 * deploys, ...) to a Slack channel.
 * @throws InvalidArgumentError when the channel is missing. `send` throws `SlackApiError` when Slack refuses
 * (the agent reports a failing sink without breaking the run).
 */
export function slackAlerts(options: SlackAlertsOptions): AlertSink {
  if (typeof options?.channel !== 'string' || options.channel === '') {
    throw new InvalidArgumentError('slackAlerts needs a channel, e.g. "#claw-alerts".');
  }
  const directory = new SlackDirectory(options.client);
  const min = RANK[options.minSeverity ?? 'info'];
  return {
    async send(alert: Alert): Promise<void> {
      if (RANK[alert.severity] < min) return;
      const signal = AbortSignal.timeout(30_000);
      const channel = await directory.channel(options.channel, signal);
      await options.client.call('chat.postMessage', { channel: channel.id, ...alertMessage(alert), unfurl_links: false }, { signal });
    },
  };
}
