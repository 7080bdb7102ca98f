import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import { REF_NAME } from '../target/names';
import type { DeployPlan } from '../target/deploy-target';
import type { DeployToolkit } from '../skill/deploy-toolkit';
import { presentRelease, short } from '../skill/present';

/** Commits listed in a plan; the count says how many there are in all. */
const MAX_COMMITS = 50;

/** The ref input shared by `deploy_plan` and `deploy_start`. */
export const refInput = z
  .string()
  .regex(REF_NAME, 'a branch, tag or commit name: no spaces, no leading dash, no ".."')
  .optional()
  .describe("Branch, tag or commit to deploy; defaults to the environment's default ref");

/** A plan in words, e.g. "Deploying main (abc1234) to production would ship 3 commits on top of def5678." */
export function describePlan(plan: DeployPlan): string {
  const what = `${plan.ref} (${short(plan.sha)})`;
  if (plan.current?.sha === plan.sha) return `${what} is already live in ${plan.environment}; deploying it again would change nothing.`;
  if (!plan.current) return `Deploying ${what} to ${plan.environment} would be its first release.`;
  const count = plan.commits.length;
  return count === 0
    ? `Deploying ${what} to ${plan.environment} would go back from ${short(plan.current.sha)}: it has no commits the live release lacks.`
    : `Deploying ${what} to ${plan.environment} would ship ${count} commit${count === 1 ? '' : 's'} on top of ${short(plan.current.sha)}.`;
}

/** `deploy_plan`: what a deploy would change, before anything is started. */
export function planTool(kit: DeployToolkit): Tool {
  return defineTool({
    name: 'deploy_plan',
    description:
      'Show what deploying a ref to an environment would change: the commit it resolves to, the live release, the commits since, whether a freeze blocks it and how many approvers it needs. Changes nothing.',
    input: z.object({ environment: kit.environmentSchema, ref: refInput }),
    scopes: ['deploy:read'],
    effect: 'read',
    // Commit subjects, logs and failure reasons are written by whoever pushes code: data, never instructions.
    untrustedOutput: true,
    async execute(input, ctx) {
      const environment = kit.environment(input.environment);
      const plan = await kit.target.plan(environment.name, input.ref ?? environment.defaultRef, { signal: ctx.signal });
      const freeze = kit.freeze(environment.name);
      return {
        summary: describePlan(plan),
        environment: plan.environment,
        ref: plan.ref,
        sha: plan.sha,
        live: presentRelease(plan.current),
        commitCount: plan.commits.length,
        commits: plan.commits.slice(0, MAX_COMMITS),
        frozen: freeze ? { reason: freeze.reason, until: new Date(freeze.until).toISOString() } : null,
        approversNeeded: environment.twoPersonRule ? 2 : 1,
      };
    },
  });
}
