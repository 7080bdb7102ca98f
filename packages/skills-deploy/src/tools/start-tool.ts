import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import { DeployFrozenError } from '../errors';
import type { DeployToolkit } from '../skill/deploy-toolkit';
import { presentDeployment, presentRelease } from '../skill/present';
import { defaultIdempotencyKey, idempotencyKeyInput } from './idempotency-key';
import { describePlan, refInput } from './plan-tool';

/** `deploy_start`: starts a deployment (after approval); `deploy:<environment>` scope; previewable. */
export function startTool(kit: DeployToolkit): Tool {
  return defineTool({
    name: 'deploy_start',
    description:
      'Start deploying a ref to an environment. Needs human approval (two people where configured); blocked during freeze windows. Calling it again with the same environment and ref in this conversation returns the same deployment. Follow it with deploy_watch.',
    input: z.object({
      environment: kit.environmentSchema,
      ref: refInput,
      reason: z.string().trim().min(3).max(500).describe('Why this deploy, for approvers and the audit trail'),
      idempotencyKey: idempotencyKeyInput,
    }),
    scopes: ['deploy:{environment}'],
    effect: 'deploy',
    // Commit subjects, logs and failure reasons are written by whoever pushes code: data, never instructions.
    untrustedOutput: true,
    // What is deployed where must not come from outside content; the free-text reason may quote a commit subject.
    sensitiveInputs: ['environment', 'ref'],
    async preview(input, ctx) {
      const environment = kit.environment(input.environment);
      const plan = await kit.target.plan(environment.name, input.ref ?? environment.defaultRef, { signal: ctx.signal });
      const freeze = kit.freeze(environment.name);
      const approvers = environment.twoPersonRule ? 'two approvers' : 'one approver';
      return {
        summary: freeze
          ? `Blocked: ${environment.name} is frozen until ${new Date(freeze.until).toISOString()} (${freeze.reason}); nothing would be deployed.`
          : `${describePlan(plan)} Needs ${approvers}. Reason given: ${input.reason}`,
        details: {
          environment: plan.environment,
          ref: plan.ref,
          sha: plan.sha,
          live: presentRelease(plan.current),
          commitCount: plan.commits.length,
          commits: plan.commits.slice(0, 20),
          frozen: freeze ? { reason: freeze.reason, until: new Date(freeze.until).toISOString() } : null,
        },
      };
    },
    async execute(input, ctx) {
      const environment = kit.environment(input.environment);
      const ref = input.ref ?? environment.defaultRef;
      const freeze = kit.freeze(environment.name);
      if (freeze) throw new DeployFrozenError('deploy_start', environment.name, freeze.reason, freeze.until);
      const idempotencyKey = input.idempotencyKey ?? defaultIdempotencyKey(ctx, 'deploy', environment.name, ref);
      const deployment = await kit.target.start(
        { environment: environment.name, ref, idempotencyKey, requestedBy: ctx.principal.id, reason: input.reason },
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
