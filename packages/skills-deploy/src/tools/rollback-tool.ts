import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import { DeployFrozenError } from '../errors';
import { previousGoodRelease, type Deployment } from '../target/deploy-target';
import { COMMIT_SHA } from '../target/names';
import type { DeployToolkit } from '../skill/deploy-toolkit';
import { presentDeployment, presentRelease, short } from '../skill/present';
import { defaultIdempotencyKey, idempotencyKeyInput } from './idempotency-key';

/** `deploy_rollback`: returns an environment to an earlier good release; `deploy:<environment>` scope; previewable. */
export function rollbackTool(kit: DeployToolkit): Tool {
  const frozen = (name: string) => (kit.environment(name).rollbackDuringFreeze ? undefined : kit.freeze(name));
  return defineTool({
    name: 'deploy_rollback',
    description:
      'Roll an environment back to an earlier release that deployed successfully: by default the last good one (after a failed deploy) or the one before the live release; or the release with commit toSha. Needs human approval.',
    input: z.object({
      environment: kit.environmentSchema,
      toSha: z.string().regex(COMMIT_SHA, '7-40 lower-case hex characters').optional().describe('Commit of an earlier successful release (see deploy_history)'),
      reason: z.string().trim().min(3).max(500).describe('Why roll back, for approvers and the audit trail'),
      idempotencyKey: idempotencyKeyInput,
    }),
    scopes: ['deploy:{environment}'],
    effect: 'deploy',
    // Commit subjects, logs and failure reasons are written by whoever pushes code: data, never instructions.
    untrustedOutput: true,
    // What is deployed where must not come from outside content; the free-text reason may quote a commit subject.
    sensitiveInputs: ['environment', 'toSha'],
    async preview(input, ctx) {
      const [history, live] = await Promise.all([
        kit.target.history(input.environment, { signal: ctx.signal, limit: 100 }),
        kit.target.current(input.environment, { signal: ctx.signal }),
      ]);
      const target: Deployment | undefined = input.toSha
        ? history.find((d) => d.status === 'succeeded' && d.sha?.startsWith(input.toSha!))
        : previousGoodRelease(history);
      const freeze = frozen(input.environment);
      const summary = freeze
        ? `Blocked: ${input.environment} is frozen until ${new Date(freeze.until).toISOString()} (${freeze.reason}); nothing would be rolled back.`
        : target
          ? `Would roll ${input.environment} back to ${short(target.sha)} (${target.ref}, deployed ${new Date(target.finishedAt ?? target.startedAt).toISOString()}); the target reports ${short(live?.sha)} as live. Reason given: ${input.reason}`
          : `Nothing to roll back to: ${input.environment} has no earlier successful release${input.toSha ? ` ${input.toSha}` : ''}.`;
      return { summary, details: { environment: input.environment, live: presentRelease(live), to: target ? presentDeployment(target) : null } };
    },
    async execute(input, ctx) {
      const freeze = frozen(input.environment);
      if (freeze) throw new DeployFrozenError('deploy_rollback', input.environment, freeze.reason, freeze.until);
      const idempotencyKey = input.idempotencyKey ?? defaultIdempotencyKey(ctx, 'rollback', input.environment, input.toSha ?? 'previous');
      const deployment = await kit.target.rollback(
        {
          environment: input.environment,
          ...(input.toSha ? { toSha: input.toSha } : {}),
          idempotencyKey,
          requestedBy: ctx.principal.id,
          reason: input.reason,
        },
        { signal: ctx.signal },
      );
      return {
        deployment: presentDeployment(deployment),
        idempotencyKey,
        next: `Call deploy_watch with deploymentId "${deployment.id}" to follow it to the end.`,
      };
    },
  });
}
