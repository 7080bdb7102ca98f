import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import type { DeployToolkit } from '../skill/deploy-toolkit';
import { presentRelease } from '../skill/present';

/** `deploy_list_environments`: the configured environments, what each runs, freezes and approvers needed. */
export function listEnvironmentsTool(kit: DeployToolkit): Tool {
  return defineTool({
    name: 'deploy_list_environments',
    description:
      'List the environments you can deploy to, the release each runs now, whether a freeze blocks deploys there, and how many people must approve a deploy. Only these environments exist.',
    input: z.object({}),
    scopes: ['deploy:read'],
    effect: 'read',
    async execute(_input, ctx) {
      const environments = await Promise.all(
        kit.config.environments.map(async (environment) => {
          const freeze = kit.freeze(environment.name);
          return {
            name: environment.name,
            ...(environment.description ? { description: environment.description } : {}),
            defaultRef: environment.defaultRef,
            live: presentRelease(await kit.target.current(environment.name, { signal: ctx.signal })),
            approversNeeded: environment.twoPersonRule ? 2 : 1,
            frozen: freeze ? { reason: freeze.reason, until: new Date(freeze.until).toISOString() } : null,
          };
        }),
      );
      return { environments };
    },
  });
}
