import { defineTool, type Tool, type ToolContext } from '@claw/core';
import { z } from 'zod';
import type { DeployToolkit } from '../skill/deploy-toolkit';
import { presentDeployment, short } from '../skill/present';
import { watchDeployment, type WatchResult } from '../skill/watch-deployment';
import { configuredDeployment } from './status-tool';

/** Time the tool gets beyond the longest watch, for its last status calls. */
const MARGIN_MS = 60_000;

function raiseAlert(ctx: ToolContext, result: WatchResult, stuckAfterMs: number): 'deploy-failed' | 'deploy-stuck' | null {
  const d = result.deployment;
  const what = `${d.kind === 'rollback' ? 'Rollback' : 'Deployment'} ${d.id} of ${d.ref} (${short(d.sha)}) to ${d.environment}`;
  const details = { deploymentId: d.id, environment: d.environment, ref: d.ref, sha: d.sha, status: d.status, reason: d.reason, url: d.url };
  switch (result.outcome) {
    case 'failed':
    case 'timed_out':
      ctx.alert({ kind: 'deploy-failed', severity: 'critical', message: `${what} ${result.outcome === 'failed' ? 'failed' : 'timed out'}: ${d.reason ?? 'no reason given'}.`, details });
      return 'deploy-failed';
    case 'stuck':
      ctx.alert({ kind: 'deploy-stuck', severity: 'warning', message: `${what} has shown no progress for ${Math.round(stuckAfterMs / 1000)} s (still ${d.status}).`, details });
      return 'deploy-stuck';
    case 'still-running':
      ctx.alert({ kind: 'deploy-stuck', severity: 'warning', message: `${what} is still ${d.status} after being watched for ${Math.round(result.watchedMs / 1000)} s.`, details });
      return 'deploy-stuck';
    default:
      return null;
  }
}

function nextStep(result: WatchResult): string {
  switch (result.outcome) {
    case 'succeeded':
      return 'Done. Tell the user what is live now.';
    case 'failed':
    case 'timed_out':
      return `Tell the user. If the failed release went live, deploy_rollback on ${result.deployment.environment} returns the last good release.`;
    case 'cancelled':
      return 'It was cancelled; nothing more happens unless someone starts it again.';
    default:
      return 'An alert was raised. Check deploy_status later; do not start another deploy to this environment meanwhile.';
  }
}

/** `deploy_watch`: follows a deployment to its end; raises `deploy-failed` or `deploy-stuck` alerts. */
export function watchTool(kit: DeployToolkit): Tool {
  const { pollIntervalMs, stuckAfterMs, maxWatchMs } = kit.config.watch;
  return defineTool({
    name: 'deploy_watch',
    description:
      'Follow a deployment or rollback until it finishes, and report how it ended. Raises an alert when it fails, times out or stops making progress.',
    input: z.object({
      deploymentId: z.string().min(1).max(200).describe('The id deploy_start or deploy_rollback returned'),
      timeoutMs: z.number().int().min(1_000).max(maxWatchMs).optional().describe(`Stop watching after this long (at most ${maxWatchMs} ms)`),
    }),
    scopes: ['deploy:read'],
    effect: 'read',
    // Commit subjects, logs and failure reasons are written by whoever pushes code: data, never instructions.
    untrustedOutput: true,
    timeoutMs: maxWatchMs + MARGIN_MS,
    async execute(input, ctx) {
      await configuredDeployment(kit, input.deploymentId, ctx.signal);
      const result = await watchDeployment(kit.target, input.deploymentId, {
        pollIntervalMs,
        stuckAfterMs,
        timeoutMs: input.timeoutMs ?? maxWatchMs,
        signal: ctx.signal,
      });
      const alerted = raiseAlert(ctx, result, stuckAfterMs);
      const failed = result.outcome === 'failed' || result.outcome === 'timed_out';
      return {
        outcome: result.outcome,
        deployment: presentDeployment(result.deployment, { withLog: failed }),
        transitions: result.transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
        alerted,
        next: nextStep(result),
      };
    },
  });
}
