import { InvalidArgumentError } from '../errors';
import { Meter } from '../metering/meter';
import { memoryTools } from '../memory/memory-tools';
import { DEFAULT_RETRY_POLICY } from '../model/retry-policy';
import { AlertMonitor } from '../policy/alert-monitor';
import { InMemoryApprovalStore } from '../policy/in-memory-approval-store';
import { scopeTemplateGrantable } from '../policy/scopes';
import type { Tool } from '../tools/define-tool';
import { ToolRegistry } from '../tools/tool-registry';
import type { AgentOptions } from './agent-options';
import type { AgentRuntime } from './agent-runtime';
import { defaultInstructions } from './prompt';

/**
 * Checks an agent's options and resolves them into the runtime its runs share: registered tools, the tools
 * offered (deny by default: only those with declared scopes some grant could cover, or explicitly unscoped),
 * policy with skills' rules merged, stores and limits.
 * @throws InvalidArgumentError on a missing model or principal, a bad environment, grant or skill; DuplicateToolError.
 */
export function resolveRuntime(options: AgentOptions): AgentRuntime {
  if (!options || typeof options !== 'object') throw new InvalidArgumentError('new Agent(options) needs an options object.');
  if (!options.model || typeof options.model.generate !== 'function') throw new InvalidArgumentError('Agent needs a `model` implementing ModelProvider (e.g. ScriptedModel, openai(), anthropic()).');
  if (!options.principal || typeof options.principal.id !== 'string' || options.principal.id === '') throw new InvalidArgumentError('Agent needs a `principal` with an id: the person it acts for.');
  const environment = options.environment ?? 'sandbox';
  if (environment !== 'sandbox' && environment !== 'production') throw new InvalidArgumentError(`environment must be "sandbox" or "production", got ${JSON.stringify(environment)}.`);
  const grants = [...(options.grants ?? [])];
  for (const grant of grants) if (typeof grant !== 'string' || grant === '') throw new InvalidArgumentError(`Grants must be scope patterns such as "email:read"; got ${JSON.stringify(grant)}.`);
  const skills = options.skills ?? [];
  for (const skill of skills) if (skill?.kind !== 'claw.configured-skill') throw new InvalidArgumentError('Each entry of `skills` must be a configured skill: call skill.configure(config).');

  const memory = options.memory === undefined ? undefined : 'store' in options.memory ? options.memory : { store: options.memory };
  const registry = new ToolRegistry();
  const skillOf = new Map<string, string>();
  for (const skill of skills) for (const tool of skill.tools) {
    registry.register(tool, skill.name);
    skillOf.set(tool.name, skill.name);
  }
  const direct: Tool[] = [...(options.tools ?? []), ...(memory ? memoryTools(memory.store) : [])];
  for (const tool of direct) registry.register(tool);
  // Deny by default: a tool is offered only when it declares scopes that grants could cover, or is explicitly unscoped.
  const offered = registry.list().filter(({ tool }) => (tool.scopes.length > 0 || tool.unscoped === true) && tool.scopes.every((scope) => scopeTemplateGrantable(grants, scope))).map((r) => r.tool);
  // A skill of instructions only (no tools, e.g. a SKILL.md folder) is always active: nothing of it needs a grant.
  const offeredSkillNames = [...new Set([...offered.map((t) => skillOf.get(t.name)).filter((s): s is string => s !== undefined), ...skills.filter((s) => s.tools.length === 0).map((s) => s.name)])];
  const meter = options.meter === false ? undefined : (options.meter ?? new Meter());
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const maxSteps = options.budget?.maxSteps ?? 12;
  if (!(Number.isInteger(maxSteps) && maxSteps > 0)) throw new InvalidArgumentError(`budget.maxSteps must be a positive integer, got ${maxSteps}.`);
  const clock = options.clock ?? Date.now;
  return {
    model: options.model,
    principal: { ...options.principal },
    grants,
    environment,
    instructions: options.instructions ?? defaultInstructions(options.principal),
    skills: skills.filter((s) => offeredSkillNames.includes(s.name)),
    registry,
    offered,
    offeredSpecs: registry.modelSpecs(offered),
    offeredSkillNames,
    approvals: options.approvals,
    approvalTimeoutMs: options.approvalTimeoutMs ?? 15 * 60_000,
    approvalStore: options.approvalStore ?? new InMemoryApprovalStore(),
    // Skills may only add approve/deny rules (checked in configure), so merging them can never loosen policy.
    policy: { ...options.policy, rules: [...(options.policy?.rules ?? []), ...skills.flatMap((s) => s.policyRules ?? [])] },
    meter,
    memory: memory && { store: memory.store, maxTokens: memory.maxTokens ?? 1000, k: memory.k ?? 8, writeEpisodes: memory.writeEpisodes ?? true },
    audit: options.audit,
    redaction: options.redaction ?? {},
    monitor: new AlertMonitor(options.alerts ?? {}, { clock }),
    sinks: options.alerts?.sinks ?? [],
    maxSteps,
    maxTokens: options.budget?.maxTokens,
    maxOutputTokens: options.budget?.maxOutputTokens ?? 4096,
    retry,
    maxParallelTools: Math.max(1, options.maxParallelTools ?? 4),
    runStateStore: options.runStateStore,
    clock,
    defaultTrigger: options.trigger ?? 'user',
  };
}
