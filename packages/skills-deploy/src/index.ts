/**
 * @claw/skills-deploy — a deploy skill for Claw agents: plan, start, watch and roll back deployments on
 * GitHub Actions, your own deploy CLI, or an in-memory target.
 * @packageDocumentation
 */
export {
  isFinalStatus,
  previousGoodRelease,
  type DeployTarget,
  type Deployment,
  type DeploymentKind,
  type DeploymentStatus,
  type DeploymentStep,
  type DeployPlan,
  type DeployRequest,
  type RollbackRequest,
  type Release,
  type Commit,
  type TargetCallOptions,
} from './target/deploy-target';
export { InMemoryTarget, type InMemoryTargetOptions, type InMemoryCommit, type InMemoryDeployBehaviour } from './target/in-memory-target';
export { CommandTarget, type CommandTargetOptions, type CommandTargetCommands } from './target/command-target';
export type { ExitCodeMeaning } from './target/command-outcome';
export { GitHubActionsTarget, type GitHubActionsTargetOptions, type GitHubDispatchInfo } from './target/github-actions-target';
export { ENVIRONMENT_NAME, REF_NAME, COMMIT_SHA } from './target/names';
export { DeployTargetError, DeployFrozenError, type DeployTargetErrorKind } from './errors';
export { deploySkill, DEPLOY_SCOPES } from './skill/deploy-skill';
export { deployPolicyRules } from './skill/deploy-policy';
export {
  deployConfigSchema,
  environmentConfigSchema,
  watchConfigSchema,
  type DeploySkillConfig,
  type DeploySkillConfigInput,
  type EnvironmentConfig,
} from './skill/deploy-config';
export { freezeWindowSchema, activeFreeze, type FreezeWindow, type ActiveFreeze } from './skill/freeze-window';
export { watchDeployment, type WatchOptions, type WatchOutcome, type WatchResult, type WatchTransition } from './skill/watch-deployment';
export type { DeploymentView } from './skill/present';
