import { z } from 'zod';
import type { DeployTarget } from '../target/deploy-target';
import { ENVIRONMENT_NAME, REF_NAME } from '../target/names';
import { freezeWindowSchema } from './freeze-window';

function isDeployTarget(value: unknown): value is DeployTarget {
  const t = value as Partial<Record<keyof DeployTarget, unknown>> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    (['plan', 'current', 'start', 'rollback', 'status', 'cancel', 'history'] as const).every((m) => typeof t[m] === 'function')
  );
}

/** One environment the skill may deploy to. Nothing else exists for it: unknown names are refused, never guessed. */
export const environmentConfigSchema = z.object({
  name: z
    .string()
    .regex(ENVIRONMENT_NAME, 'use lower-case letters, digits and dashes, starting with a letter')
    // "read" would make the deploy:read scope also grant deploys to it.
    .refine((name) => name !== 'read', { message: '"read" is reserved (deploy:read is the read scope)' }),
  description: z.string().optional(),
  /** What `deploy_start` and `deploy_plan` deploy when no ref is given. */
  defaultRef: z.string().regex(REF_NAME).default('main'),
  /** Deploys and rollbacks here need two distinct approvers (through {@link deployPolicyRules}). */
  twoPersonRule: z.boolean().default(false),
  /** Deploys are blocked inside these windows. */
  freezes: z.array(freezeWindowSchema).default([]),
  /** Rollbacks may run during a freeze (default true: a rollback repairs). */
  rollbackDuringFreeze: z.boolean().default(true),
});

/** How `deploy_watch` follows a deployment. */
export const watchConfigSchema = z.object({
  /** Between status checks. Default 5 s. */
  pollIntervalMs: z.number().int().positive().default(5_000),
  /** A live deployment whose status and steps do not change for this long is stuck. Default 10 minutes. */
  stuckAfterMs: z.number().int().positive().default(10 * 60_000),
  /** The longest one watch lasts (the model may ask for less). Default 30 minutes. */
  maxWatchMs: z.number().int().positive().default(30 * 60_000),
});

/** Configuration of the deploy skill. */
export const deployConfigSchema = z.object({
  target: z.custom<DeployTarget>(isDeployTarget, 'expected a DeployTarget (GitHubActionsTarget, CommandTarget or InMemoryTarget)'),
  environments: z
    .array(environmentConfigSchema)
    .min(1, 'configure at least one environment')
    .refine((list) => new Set(list.map((e) => e.name)).size === list.length, { message: 'environment names must be unique' }),
  watch: watchConfigSchema.default({ pollIntervalMs: 5_000, stuckAfterMs: 10 * 60_000, maxWatchMs: 30 * 60_000 }),
  /** Clock for freeze windows and watch timing (tests). */
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
});

/** The deploy skill's configuration as you write it. */
export type DeploySkillConfigInput = z.input<typeof deployConfigSchema>;
/** The deploy skill's configuration after validation (defaults filled in). */
export type DeploySkillConfig = z.output<typeof deployConfigSchema>;
/** One configured environment after validation. */
export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
