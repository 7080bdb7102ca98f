import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import type { DeployToolkit } from '../skill/deploy-toolkit';
import { presentDeployment } from '../skill/present';

/** `deploy_history`: an environment's recent deployments, newest first. */
export function historyTool(kit: DeployToolkit): Tool {
  return defineTool({
    name: 'deploy_history',
    description: "List an environment's recent deployments and rollbacks, newest first, with their commit and outcome.",
    input: z.object({
      environment: kit.environmentSchema,
      limit: z.number().int().min(1).max(50).default(10),
    }),
    scopes: ['deploy:read'],
    effect: 'read',
    // Commit subjects, logs and failure reasons are written by whoever pushes code: data, never instructions.
    untrustedOutput: true,
    async execute(input, ctx) {
      const deployments = await kit.target.history(input.environment, { signal: ctx.signal, limit: input.limit });
      return { environment: input.environment, deployments: deployments.map((d) => presentDeployment(d)) };
    },
  });
}
