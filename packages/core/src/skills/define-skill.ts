import type { z } from 'zod';
import { SkillConfigError, SkillDefinitionError } from '../errors';
import type { PolicyRule } from '../policy/policy-rule';
import { declaredScopeCovers } from '../policy/scopes';
import type { Tool } from '../tools/define-tool';
import { formatZodIssues } from '../tools/tool-registry';

const SKILL_NAME = /^[a-z][a-z0-9-]{0,63}$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * What a developer writes with {@link defineSkill}. `Config` is what the schema produces (what `tools` and
 * `policyRules` receive); `Input` is what it accepts (what `configure` takes), which differs when fields have
 * defaults or transforms.
 */
export interface SkillSpec<Config, Input = Config> {
  name: string;
  version: string;
  description: string;
  /** Added to the system prompt when the skill is enabled; counted under `skill_instructions`. */
  instructions: string;
  /** Every scope the skill's tools may ever use, with a description a person can review. */
  scopes: Readonly<Record<string, string>>;
  config: z.ZodType<Config, Input>;
  /** The skill's tools, or a function building them from the validated config. */
  tools: readonly Tool[] | ((config: Config) => readonly Tool[]);
  /**
   * Policy rules the skill adds to every agent using it (e.g. a two-person rule for production deploys). They may
   * only tighten policy — `approve` or `deny` — because allowances are the operator's to give.
   */
  policyRules?: (config: Config) => readonly PolicyRule[];
}

/** A skill bound to a validated configuration, ready to give to an `Agent`. */
export interface ConfiguredSkill {
  readonly kind: 'claw.configured-skill';
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly instructions: string;
  readonly scopes: Readonly<Record<string, string>>;
  readonly tools: readonly Tool[];
  /** Approve/deny rules the skill contributes; the agent adds them to its policy. */
  readonly policyRules: readonly PolicyRule[];
}

/** A defined skill; call `configure(config)` to use it. */
export interface Skill<Config, Input = Config> {
  readonly kind: 'claw.skill';
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly instructions: string;
  readonly scopes: Readonly<Record<string, string>>;
  /**
   * Validates the config and builds the tools. The parameter has the schema's input type, so a misspelt or
   * mistyped field is a compile error as well as a `SkillConfigError`.
   * @throws SkillConfigError on invalid config; SkillDefinitionError when a tool uses an undeclared scope.
   */
  configure(config: Input): ConfiguredSkill;
}

function checkToolScopes(skill: string, declared: Readonly<Record<string, string>>, tools: readonly Tool[]): void {
  const names = Object.keys(declared);
  for (const tool of tools) {
    if (tool?.kind !== 'claw.tool') {
      throw new SkillDefinitionError(`Skill "${skill}" returned something that is not a tool: build tools with defineTool().`);
    }
    for (const scope of tool.scopes) {
      if (!names.some((d) => declaredScopeCovers(d, scope))) {
        throw new SkillDefinitionError(
          `Tool "${tool.name}" of skill "${skill}" uses scope "${scope}", which the skill does not declare. Add it to the skill's scopes with a description.`,
        );
      }
    }
  }
}

/**
 * Defines a skill: a named, versioned bundle of tools with declared scopes and a validated config.
 * Static tool lists are checked against the declared scopes here; tool factories are checked in `configure`.
 * @throws SkillDefinitionError on a malformed definition or an undeclared scope.
 */
export function defineSkill<Schema extends z.ZodType>(
  spec: SkillSpec<z.output<Schema>, z.input<Schema>> & { config: Schema },
): Skill<z.output<Schema>, z.input<Schema>> {
  if (typeof spec?.name !== 'string' || !SKILL_NAME.test(spec.name)) {
    throw new SkillDefinitionError(`Skill name ${JSON.stringify(spec?.name)} is invalid: use a-z, 0-9 and -, starting with a letter.`);
  }
  if (typeof spec.version !== 'string' || !SEMVER.test(spec.version)) {
    throw new SkillDefinitionError(`Skill "${spec.name}" has version ${JSON.stringify(spec.version)}; use semver such as "1.0.0".`);
  }
  if (!spec.scopes || typeof spec.scopes !== 'object') {
    throw new SkillDefinitionError(`Skill "${spec.name}" needs "scopes": a map from each scope to a description.`);
  }
  for (const [scope, description] of Object.entries(spec.scopes)) {
    if (typeof description !== 'string' || description.trim() === '') {
      throw new SkillDefinitionError(`Scope "${scope}" of skill "${spec.name}" needs a description a person can review.`);
    }
  }
  if (!spec.config || typeof (spec.config as { safeParse?: unknown }).safeParse !== 'function') {
    throw new SkillDefinitionError(`Skill "${spec.name}" needs a zod schema as "config" (z.object({}) for none).`);
  }
  if (spec.policyRules !== undefined && typeof spec.policyRules !== 'function') {
    throw new SkillDefinitionError(`Skill "${spec.name}" has "policyRules" that is not a function of the config.`);
  }
  if (Array.isArray(spec.tools)) checkToolScopes(spec.name, spec.scopes, spec.tools);
  else if (typeof spec.tools !== 'function') {
    throw new SkillDefinitionError(`Skill "${spec.name}" needs "tools": an array of tools or a function of the config.`);
  }
  const scopes = Object.freeze({ ...spec.scopes });
  return Object.freeze({
    kind: 'claw.skill' as const,
    name: spec.name,
    version: spec.version,
    description: spec.description,
    instructions: spec.instructions,
    scopes,
    configure(config: unknown): ConfiguredSkill {
      const parsed = spec.config.safeParse(config);
      if (!parsed.success) throw new SkillConfigError(spec.name, formatZodIssues(parsed.error));
      const tools = typeof spec.tools === 'function' ? spec.tools(parsed.data) : spec.tools;
      checkToolScopes(spec.name, scopes, tools);
      const policyRules = spec.policyRules ? spec.policyRules(parsed.data) : [];
      for (const rule of policyRules) {
        if (rule.verdict !== 'approve' && rule.verdict !== 'deny') {
          throw new SkillDefinitionError(
            `Skill "${spec.name}" contributes a policy rule with verdict ${JSON.stringify(rule.verdict)}; skills may only add "approve" or "deny" rules. Allow rules belong in the agent's own policy.`,
          );
        }
      }
      return Object.freeze({
        kind: 'claw.configured-skill' as const,
        name: spec.name,
        version: spec.version,
        description: spec.description,
        instructions: spec.instructions,
        scopes,
        tools: Object.freeze([...tools]),
        policyRules: Object.freeze([...policyRules]),
      });
    },
  });
}
