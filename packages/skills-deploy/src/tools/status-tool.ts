import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import { DeployTargetError } from '../errors';
import type { Deployment } from '../target/deploy-target';
import type { DeployToolkit } from '../skill/deploy-toolkit';
import { presentDeployment, presentRelease } from '../skill/present';

/**
 * Reads a deployment and refuses one of an environment this skill is not configured for: the target may
 * see more (a whole GitHub repository) than the operator meant to expose.
 * @throws DeployTargetError kind `not_found` for an unknown id or an unconfigured environment.
 */
export async function configuredDeployment(kit: DeployToolkit, id: string, signal: AbortSignal): Promise<Deployment> {
  const deployment = await kit.target.status(id, { signal });
  if (!kit.config.environments.some((e) => e.name === deployment.environment)) {
    throw new DeployTargetError({ target: kit.target.kind, kind: 'not_found', message: `No deployment "${id}" in the configured environments.` });
  }
  return deployment;
}

/** `deploy_status`: one deployment in detail, or the live release and latest deployment of environments. */
export function statusTool(kit: DeployToolkit): Tool {
  return defineTool({
    name: 'deploy_status',
    description:
      'Show a deployment by id (status, steps, failure reason, end of its log), or, without an id, what an environment (or every environment) runs now and its latest deployment.',
    input: z.object({
      deploymentId: z.string().min(1).max(200).optional().describe('An id returned by deploy_start, deploy_rollback or deploy_history'),
      environment: kit.environmentSchema.optional(),
    }),
    scopes: ['deploy:read'],
    effect: 'read',
    // Commit subjects, logs and failure reasons are written by whoever pushes code: data, never instructions.
    untrustedOutput: true,
    async execute(input, ctx) {
      if (input.deploymentId) {
        return { deployment: presentDeployment(await configuredDeployment(kit, input.deploymentId, ctx.signal), { withLog: true }) };
      }
      const names = input.environment ? [input.environment] : kit.config.environments.map((e) => e.name);
      const environments = await Promise.all(
        names.map(async (name) => {
          const [live, latest] = await Promise.all([
            kit.target.current(name, { signal: ctx.signal }),
            kit.target.history(name, { signal: ctx.signal, limit: 1 }),
          ]);
          return { environment: name, live: presentRelease(live), latest: latest[0] ? presentDeployment(latest[0]) : null };
        }),
      );
      return { environments };
    },
  });
}
