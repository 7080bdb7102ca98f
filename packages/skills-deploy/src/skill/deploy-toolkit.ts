import { z } from 'zod';
import type { DeployTarget } from '../target/deploy-target';
import type { DeploySkillConfig, EnvironmentConfig } from './deploy-config';
import { activeFreeze, type ActiveFreeze } from './freeze-window';

/** What every deploy tool is built from: the validated config, the target, and lookups over environments. */
export interface DeployToolkit {
  target: DeployTarget;
  config: DeploySkillConfig;
  now(): number;
  /**
   * A zod enum of the configured environment names: the model sees the valid names in the tool schema,
   * and any other name fails validation before a tool runs.
   */
  environmentSchema: z.ZodEnum<Record<string, string>>;
  /** The configuration of a (validated) environment name. */
  environment(name: string): EnvironmentConfig;
  /** The freeze in force in an environment now, if any. */
  freeze(name: string): ActiveFreeze | undefined;
}

/** Builds the toolkit from a validated config. */
export function createDeployToolkit(config: DeploySkillConfig): DeployToolkit {
  const byName = new Map(config.environments.map((e) => [e.name, e]));
  const names = config.environments.map((e) => e.name) as [string, ...string[]];
  const now = config.now ?? Date.now;
  const environmentSchema = z.enum(names).describe(`One of the configured environments: ${names.join(', ')}`);
  return {
    target: config.target,
    config,
    now,
    environmentSchema,
    environment(name) {
      const environment = byName.get(name);
      // Unreachable through a tool (the enum validated the name), so a bug if it happens.
      if (!environment) throw new Error(`environment "${name}" is not configured`);
      return environment;
    },
    freeze(name) {
      return activeFreeze(byName.get(name)?.freezes ?? [], now());
    },
  };
}
