import { SkillConfigError, formatZodIssues, type PolicyRule } from '@claw/core';
import { deployConfigSchema, type DeploySkillConfig, type DeploySkillConfigInput } from './deploy-config';
import { activeFreeze } from './freeze-window';

/**
 * Policy rules that carry the deploy configuration into approval decisions:
 * every deploy and rollback asks for approval, from two distinct people where `twoPersonRule` is set, and a
 * deploy inside a freeze window is denied before anyone is asked to approve it (the tools refuse it too,
 * for agents without these rules). `deploySkill` adds them to every agent using it, so calling this is only needed to
 * inspect them. Core already requires approval for every `deploy` call in production;
 * these rules add the approver count and reasons people can read.
 * @throws SkillConfigError when the configuration is invalid.
 */
export function deployPolicyRules(config: DeploySkillConfigInput): PolicyRule[] {
  const parsed = deployConfigSchema.safeParse(config);
  if (!parsed.success) throw new SkillConfigError('deploy', formatZodIssues(parsed.error));
  return deployRulesFor(parsed.data);
}

/** The rules for an already validated configuration; `deploySkill` contributes them to every agent using it. */
export function deployRulesFor(config: DeploySkillConfig): PolicyRule[] {
  const now = config.now ?? Date.now;
  const rules: PolicyRule[] = [];
  for (const environment of config.environments) {
    const frozen = () => activeFreeze(environment.freezes, now()) !== undefined;
    if (environment.freezes.length > 0) {
      rules.push({
        tool: environment.rollbackDuringFreeze ? 'deploy_start' : ['deploy_start', 'deploy_rollback'],
        input: { environment: environment.name },
        when: frozen,
        verdict: 'deny',
        reason: `${environment.name} is inside a deploy freeze window; deploy_list_environments says until when and why`,
      });
    }
    rules.push({
      tool: ['deploy_start', 'deploy_rollback'],
      input: { environment: environment.name },
      verdict: 'approve',
      approvers: environment.twoPersonRule ? 2 : 1,
      reason: environment.twoPersonRule
        ? `changes to ${environment.name} need two approvers (two-person rule)`
        : `changes to ${environment.name} need an approver`,
    });
  }
  return rules;
}
