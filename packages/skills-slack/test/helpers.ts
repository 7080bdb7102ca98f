import type { ToolContext } from '@claw/core';
import { createSlackClient, type SlackClient } from '../src';
import { startSlackStandIn, type SlackStandIn } from '../src/testing';

/** People of the test workspace. */
export const PEOPLE = {
  priya: { id: 'U0PRIYA01', name: 'priya', realName: 'Priya Shah', email: 'priya@example.com' },
  raj: { id: 'U0RAJ0001', name: 'raj', realName: 'Raj Patel', email: 'raj@example.com' },
  mallory: { id: 'U0MALLORY', name: 'mallory', realName: 'Mallory Doe', email: 'mallory@example.com' },
  sam: { id: 'U0SAM0001', name: 'sam', realName: 'Sam Lee', email: 'sam@example.com' },
} as const;

/** A stand-in with four people and #ops, #general, #approvals, a private #secret-ops, and #outside (app not a member). */
export async function startWorkspace(): Promise<SlackStandIn> {
  const slack = await startSlackStandIn();
  for (const person of Object.values(PEOPLE)) slack.addUser(person);
  const everyone = Object.values(PEOPLE).map((p) => p.id);
  slack.addChannel({ name: 'ops', id: 'C0OPS0001', members: everyone });
  slack.addChannel({ name: 'general', id: 'C0GENERAL', members: everyone });
  slack.addChannel({ name: 'approvals', id: 'C0APPROVE', members: [PEOPLE.raj.id, PEOPLE.mallory.id] });
  slack.addChannel({ name: 'secret-ops', id: 'G0SECRET1', isPrivate: true, members: [PEOPLE.priya.id] });
  slack.addChannel({ name: 'outside', id: 'C0OUTSIDE', botIsMember: false, members: everyone });
  return slack;
}

/** A client for the stand-in whose retries take milliseconds, so failures never hold a test. */
export function clientFor(slack: SlackStandIn, retry: { maxRetries?: number; maxRetryAfterMs?: number } = {}): SlackClient {
  return createSlackClient({
    token: slack.token,
    slackApiUrl: slack.url,
    retry: { maxRetries: 2, maxRetryAfterMs: 2000, serverErrorDelayMs: 5, ...retry },
    requestTimeoutMs: 5000,
  });
}

/** A hand-built ToolContext, as the agent would give a tool. */
export function toolContext(overrides: Partial<ToolContext> = {}): ToolContext & { alerts: unknown[] } {
  const alerts: unknown[] = [];
  return {
    signal: new AbortController().signal,
    principal: { id: 'priya', managerId: 'raj', displayName: 'Priya Shah' },
    environment: 'production',
    runId: 'run-test',
    toolCallId: 'call-test',
    trigger: 'user',
    alert: (a) => alerts.push(a),
    alerts,
    ...overrides,
  };
}
