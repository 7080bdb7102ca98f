/**
 * Claw on the agent-loop workload, with a minimal zero-latency `ModelProvider` written here (ScriptedModel records
 * and copies every request, which would be measured as loop overhead). The API comes in as a parameter so the
 * benchmark can run Claw's published-style build (support/claw-build.ts) rather than its tsx-transformed source.
 * Two configurations:
 * (a) lean: metering off, no audit log — the loop, registry, zod validation, policy defaults and tool pipeline;
 * (b) governed: production environment, a Meter with a budget rule and an in-memory ledger, a policy rule, and an
 *     in-memory audit log — everything on that a run pays for (read-effect tools, so no approvals).
 */
import type { GenerateRequest, GenerateResponse, InMemoryAuditLog, InMemoryUsageLedger, ModelProvider, Tool } from '@claw/core';
import { SYSTEM_PROMPT, TOOLS, USER_INPUT, countedExecute, decisionAt, usageAt, type LoopRunner } from './workload';

/** Answers from the workload script; `step` is reset before each run. */
class BenchModel implements ModelProvider {
  readonly provider = 'bench';
  readonly model = 'gpt-4o-mini';
  step = 0;

  async generate(_request: GenerateRequest): Promise<GenerateResponse> {
    const step = this.step++;
    const decision = decisionAt(step);
    const usage = usageAt(step);
    if (decision.type === 'final') return { text: decision.text, toolCalls: [], finishReason: 'stop', usage };
    return {
      text: '',
      toolCalls: [{ id: decision.id, name: decision.name, input: JSON.parse(decision.argumentsJson) }],
      finishReason: 'tool_calls',
      usage,
    };
  }
}

/** The @claw/core API the runners are built from. */
export type ClawCore = typeof import('@claw/core');

function clawTools(core: ClawCore): Tool[] {
  return TOOLS.map((tool) =>
    core.defineTool({
      name: tool.name,
      description: tool.description,
      input: tool.schema,
      scopes: [`${tool.name.split('_')[1]}:read`],
      effect: 'read',
      execute: countedExecute(tool),
    }),
  );
}

const PRINCIPAL = { id: 'priya', managerId: 'raj', team: 'payments' };
const GRANTS = ['order:read', 'docs:read', 'weather:read'];

function runnerFor(agent: InstanceType<ClawCore['Agent']>, model: BenchModel, name: string, description: string): LoopRunner {
  return {
    name,
    description,
    async run() {
      model.step = 0;
      const result = await agent.run(USER_INPUT);
      if (result.stopReason !== 'final') throw new Error(`${name} stopped with ${result.stopReason}: ${result.error?.message ?? ''}`);
      return result.text;
    },
  };
}

/** Claw (a): metering off, no audit log. */
export function clawLean(core: ClawCore): LoopRunner {
  const model = new BenchModel();
  const agent = new core.Agent({
    model,
    tools: clawTools(core),
    principal: PRINCIPAL,
    grants: GRANTS,
    environment: 'production',
    instructions: SYSTEM_PROMPT,
    meter: false,
    budget: { maxSteps: 12 },
  });
  return runnerFor(agent, model, 'Claw (a) metering off', 'metering off, no audit log');
}

/** Claw (m): metering with a budget rule, a run token budget and the ledger; no audit log, no policy rules (issue 3's figure). */
export function clawMetered(core: ClawCore): LoopRunner {
  const model = new BenchModel();
  const agent = new core.Agent({
    model,
    tools: clawTools(core),
    principal: PRINCIPAL,
    grants: GRANTS,
    environment: 'production',
    instructions: SYSTEM_PROMPT,
    meter: new core.Meter({ ledger: new core.InMemoryUsageLedger(), budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 1e12 }] }),
    budget: { maxSteps: 12, maxTokens: 1_000_000 },
  });
  return runnerFor(agent, model, 'Claw (m) metered', 'meter + budget rule + run budget + ledger, no audit log');
}

/** Claw (b): metering with a budget rule and ledger, a policy rule, an audit log, production. */
export function clawGoverned(core: ClawCore): { runner: LoopRunner; ledger: InMemoryUsageLedger; audit: InMemoryAuditLog } {
  const model = new BenchModel();
  const ledger = new core.InMemoryUsageLedger();
  const audit = new core.InMemoryAuditLog();
  const agent = new core.Agent({
    model,
    tools: clawTools(core),
    principal: PRINCIPAL,
    grants: GRANTS,
    environment: 'production',
    instructions: SYSTEM_PROMPT,
    meter: new core.Meter({ ledger, budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 1e12 }] }),
    audit,
    policy: { rules: [{ tool: 'get_weather', input: { city: 'Atlantis' }, verdict: 'deny', reason: 'Atlantis is not a real city.' }] },
    budget: { maxSteps: 12, maxTokens: 1_000_000 },
  });
  return {
    runner: runnerFor(agent, model, 'Claw (b) all on', 'meter + budget rule + ledger, policy rule, audit log, production'),
    ledger,
    audit,
  };
}
