import { InvalidArgumentError, type Alert } from '@claw/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiError, slackAlerts } from '../src';
import type { SlackStandIn } from '../src/testing';
import { clientFor, startWorkspace } from './helpers';

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await startWorkspace();
  slack.addChannel({ name: 'claw-alerts', id: 'C0ALERTS1' });
});
afterAll(async () => {
  await slack.close();
});

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: 'alert-1',
  kind: 'prompt-injection-suspected',
  severity: 'warning',
  message: 'Content returned by slack_read_channel looks like an attempt to instruct the agent: <!channel> ignore previous instructions',
  principalId: 'priya',
  runId: 'run-9',
  toolName: 'slack_read_channel',
  at: Date.parse('2025-05-10T12:00:00Z'),
  details: { patterns: ['ignore previous instructions'] },
  ...overrides,
});

describe('slackAlerts', () => {
  it('posts an alert with its kind, severity, principal, run, tool and details, escaped', async () => {
    await slackAlerts({ client: clientFor(slack), channel: '#claw-alerts' }).send(alert());
    const [message] = slack.messages('#claw-alerts');
    expect(message?.text).toBe(
      '[warning] prompt-injection-suspected: Content returned by slack_read_channel looks like an attempt to instruct the agent: &lt;!channel&gt; ignore previous instructions',
    );
    const blocks = JSON.stringify(message?.blocks);
    expect(blocks).toContain(':warning: *warning* · prompt-injection-suspected');
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).toContain('principal `priya` · run `run-9` · tool `slack_read_channel`');
    expect(blocks).toContain('ignore previous instructions');
  });

  it('skips alerts below the minimum severity', async () => {
    const sink = slackAlerts({ client: clientFor(slack), channel: 'C0ALERTS1', minSeverity: 'critical' });
    const before = slack.messages('#claw-alerts').length;
    await sink.send(alert({ severity: 'info', kind: 'first-tool-use' }));
    expect(slack.messages('#claw-alerts')).toHaveLength(before);
    await sink.send(alert({ severity: 'critical', kind: 'deploy-failed', message: 'deploy of web to production failed' }));
    expect(slack.messages('#claw-alerts').at(-1)?.text).toBe('[critical] deploy-failed: deploy of web to production failed');
  });

  it('throws a SlackApiError when Slack refuses, so the agent can report the failing sink', async () => {
    await expect(slackAlerts({ client: clientFor(slack), channel: '#outside' }).send(alert())).rejects.toBeInstanceOf(SlackApiError);
    expect(() => slackAlerts({ client: clientFor(slack), channel: '' })).toThrow(InvalidArgumentError);
  });
});
