import {
  Agent,
  decidePolicy,
  type ConfiguredSkill,
  type Environment,
  type ModelProvider,
  type PermissionSummary,
  type PolicyRule,
  type ToolEffect,
} from '@claw/core';
import { CliUsageError } from '../cli-error';
import type { LoadedSkills } from './load-skills';

/** One tool on the review sheet. */
export interface ReviewedTool {
  name: string;
  skill: string;
  description: string;
  effect: ToolEffect;
  scopes: string[];
  /** What core policy decides for a call in production with no operator rules: `allow`, `approval` or `deny`. */
  production: { decision: 'allow' | 'approval' | 'deny'; approversRequired?: number; reason: string };
  /** Skill rules whose verdict depends on the call's input, with their reasons. */
  conditionalRules: { verdict: PolicyRule['verdict']; approvers?: number; reason: string }[];
  untrustedOutput: boolean;
  sensitiveInputs: string[];
}

/** Everything the permission review sheet shows. */
export interface SkillReview {
  skills: { name: string; version: string; description: string; scopes: Record<string, string> }[];
  tools: ReviewedTool[];
  /** The grants reviewed (empty: nothing granted). */
  grants: string[];
  /** What the grants enable and withhold, from core's `describePermissions`. */
  permissions: PermissionSummary;
}

/** A model that is never called: the review builds an agent only to ask it what it would offer. */
const reviewModel: ModelProvider = {
  provider: 'review',
  model: 'none',
  async generate() {
    throw new Error('The permission review never calls a model.');
  },
};

/**
 * Configures the loaded skills and asks core what an agent with them and these grants may do. Unconfigured skills
 * get `config` (keyed by skill name when there are several).
 * @throws CliUsageError when a skill needs configuration it was not given.
 */
export function reviewSkills(loaded: LoadedSkills, options: { config?: unknown; grants: readonly string[]; environment: Environment; principal: string }): SkillReview {
  const configured: ConfiguredSkill[] = [...loaded.configured];
  for (const skill of loaded.skills) {
    const config = loaded.skills.length > 1 && isRecord(options.config) ? options.config[skill.name] : options.config;
    try {
      configured.push(skill.configure(config ?? {}));
    } catch (error) {
      // By code, not class: the skill may have been built against another copy of @claw/core.
      if (!(error instanceof Error && (error as { code?: unknown }).code === 'SKILL_CONFIG')) throw error;
      throw new CliUsageError(`Skill "${skill.name}" needs configuration to list its tools: ${error.message.replace(/\s*\n\s*/g, ' ')} Pass --config <file.json|module.ts>, or a module exporting skill.configure(...).`);
    }
  }
  const agent = new Agent({ model: reviewModel, skills: configured, principal: { id: options.principal }, grants: options.grants, environment: options.environment, meter: false });
  const tools = configured.flatMap((skill) =>
    skill.tools.map((tool): ReviewedTool => {
      const rules = skill.policyRules.filter((rule) => rule.tool === undefined || (typeof rule.tool === 'string' ? rule.tool === tool.name : rule.tool.includes(tool.name)));
      const conditional = (rule: PolicyRule) => rule.input !== undefined || rule.when !== undefined || rule.scope !== undefined;
      const decision = decidePolicy(
        { toolName: tool.name, effect: tool.effect, environment: 'production', scopes: tool.scopes, input: {}, tainted: false },
        { rules: rules.filter((r) => !conditional(r)) },
      );
      return {
        name: tool.name,
        skill: skill.name,
        description: tool.description,
        effect: tool.effect,
        scopes: [...tool.scopes],
        production: { decision: decision.type, ...(decision.type === 'approval' ? { approversRequired: decision.approversRequired } : {}), reason: decision.reason },
        conditionalRules: rules.filter(conditional).filter((r) => r.environment !== 'sandbox').map((r) => ({ verdict: r.verdict, ...(r.approvers !== undefined ? { approvers: r.approvers } : {}), reason: r.reason ?? `a ${r.verdict} rule of skill ${skill.name}` })),
        untrustedOutput: tool.untrustedOutput === true,
        sensitiveInputs: [...(tool.sensitiveInputs ?? [])],
      };
    }),
  );
  return {
    skills: configured.map((s) => ({ name: s.name, version: s.version, description: s.description, scopes: { ...s.scopes } })),
    tools,
    grants: [...options.grants],
    permissions: agent.describePermissions(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
