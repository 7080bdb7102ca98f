import { defineSkill } from '@claw/core';
import { historyTool } from '../tools/history-tool';
import { listEnvironmentsTool } from '../tools/list-environments-tool';
import { planTool } from '../tools/plan-tool';
import { rollbackTool } from '../tools/rollback-tool';
import { startTool } from '../tools/start-tool';
import { statusTool } from '../tools/status-tool';
import { watchTool } from '../tools/watch-tool';
import { deployConfigSchema } from './deploy-config';
import { deployRulesFor } from './deploy-policy';
import { createDeployToolkit } from './deploy-toolkit';

/** The scopes of the deploy skill, with what each lets an agent do. */
export const DEPLOY_SCOPES = {
  'deploy:read': 'See environments, live releases, plans, deployment history and status; follow deployments',
  'deploy:{environment}': 'Start deployments and rollbacks in that environment (grant e.g. deploy:staging); each still needs approval',
} as const;

const INSTRUCTIONS = `You can deploy the team's services.
- Environments are configured; use exactly the names the tools accept. If the user's words do not clearly name one, call deploy_list_environments and ask.
- Before deploy_start, call deploy_plan and tell the user what would ship (ref, commit, number of commits, what is live).
- Deploys and rollbacks wait for human approval; say so. Never claim a deploy happened before deploy_watch reports it succeeded.
- After deploy_start or deploy_rollback, call deploy_watch with the deployment id.
- If a deploy fails after its release went live, propose deploy_rollback. During a freeze window, explain the freeze; do not retry.`;

/**
 * The deploy skill: plan, start, watch and roll back deployments on a configured `DeployTarget`.
 * Configure it with a target and the environments it may touch. It adds its approval rules (two-person rule,
 * freeze windows) to the policy of every agent using it.
 */
export const deploySkill = defineSkill({
  name: 'deploy',
  version: '0.1.0',
  description: 'Plan, start, watch and roll back deployments to configured environments',
  instructions: INSTRUCTIONS,
  scopes: DEPLOY_SCOPES,
  config: deployConfigSchema,
  tools: (config) => {
    const kit = createDeployToolkit(config);
    return [listEnvironmentsTool(kit), statusTool(kit), historyTool(kit), planTool(kit), startTool(kit), rollbackTool(kit), watchTool(kit)];
  },
  policyRules: deployRulesFor,
});
