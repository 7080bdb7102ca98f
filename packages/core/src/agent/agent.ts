import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import { AbortedError, InvalidArgumentError, RunStateError } from '../errors';
import type { AgentEventMap, AgentEventName, AgentStreamEvent } from '../events/agent-events';
import { Meter } from '../metering/meter';
import { emptyRunUsage } from '../metering/run-usage';
import { buildMemoryContext } from '../memory/memory-context';
import { memoryTools } from '../memory/memory-tools';
import { writeEpisode } from '../memory/write-episode';
import { DEFAULT_RETRY_POLICY } from '../model/retry-policy';
import type { ApprovalDecision } from '../policy/approval';
import { AlertMonitor } from '../policy/alert-monitor';
import { InMemoryApprovalStore } from '../policy/in-memory-approval-store';
import { scopeTemplateGrantable } from '../policy/scopes';
import type { Tool } from '../tools/define-tool';
import { ToolRegistry } from '../tools/tool-registry';
import type { AgentOptions, RunOptions } from './agent-options';
import { recordAudit, type AgentRuntime, type RunContext } from './agent-runtime';
import { describePermissions, type PermissionSummary } from './describe-permissions';
import { defaultInstructions, buildInitialMessages } from './prompt';
import { collectOutcomes, runLoop, suspend } from './run-loop';
import type { RunResult, StepResult } from './run-result';
import type { RunState } from './run-state';
import { resumeToolCall } from './tool-call';

/** A listener of one agent event; it receives the event's payload. */
export type AgentEventListener<K extends AgentEventName> = (data: AgentEventMap[K]) => void;
type Listener<K extends AgentEventName> = AgentEventListener<K>;
type EventTypes = { [K in AgentEventName]: Listener<K> };

/**
 * A tool-using agent acting for one principal. It offers the model only the tools its grants allow, decides every
 * call by policy (approvals bound to exactly what was reviewed), previews side effects in the sandbox, meters every
 * model call against budgets before making it, and records what it did in the audit log.
 */
export class Agent {
  private readonly rt: AgentRuntime;
  private readonly emitter = new EventEmitter<EventTypes>();

  /** @throws InvalidArgumentError on a missing model or principal, a bad environment, or duplicate tool names. */
  constructor(options: AgentOptions) {
    this.rt = resolveRuntime(options);
  }

  /** Subscribes to an event. Listener errors are caught and reported as `error` events; they never break a run. */
  on<K extends AgentEventName>(event: K, listener: AgentEventListener<K>): this {
    this.emitter.on(event, listener as never);
    return this;
  }

  /** Subscribes to the next occurrence of an event only; errors are handled as for {@link Agent.on}. */
  once<K extends AgentEventName>(event: K, listener: AgentEventListener<K>): this {
    this.emitter.once(event, listener as never);
    return this;
  }

  /** Removes a listener of an event, or every listener of it when none is given. */
  off<K extends AgentEventName>(event: K, listener?: AgentEventListener<K>): this {
    this.emitter.off(event, listener as never);
    return this;
  }

  /** Every scope granted, the tools it enables and their effects, and what is withheld: what a person reviews. */
  describePermissions(): PermissionSummary {
    return describePermissions(this.rt);
  }

  /** Runs the agent on one input. Resolves with the result; failures are reported in `stopReason` and `error`. */
  async run(input: string, options: RunOptions = {}): Promise<RunResult> {
    return this.execute(input, options, (name, data) => this.emit(name, data), false);
  }

  /** Runs the agent and yields every event of the run, in order, ending with `run:end`. Breaking out aborts the run. */
  async *stream(input: string, options: RunOptions = {}): AsyncGenerator<AgentStreamEvent, RunResult> {
    const controller = new AbortController();
    const outer = options.signal;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener('abort', onAbort, { once: true });
    const queue: AgentStreamEvent[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    const push = <K extends AgentEventName>(name: K, data: AgentEventMap[K]) => {
      this.emit(name, data);
      queue.push({ type: name, data } as AgentStreamEvent);
      wake?.();
    };
    const running = this.execute(input, { ...options, signal: controller.signal }, push, true).finally(() => {
      finished = true;
      wake?.();
    });
    try {
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      return await running;
    } finally {
      outer?.removeEventListener('abort', onAbort);
      if (!finished) {
        controller.abort(new AbortedError('The stream consumer stopped reading.'));
        await running.catch(() => undefined);
      }
    }
  }

  /**
   * Continues a run suspended for approval, possibly in another process. Finished steps are neither re-run nor
   * re-metered and completed tools are not executed again. Each decision must name the request (`requestId`) and
   * the input hash it approves; a decision for another call or input is refused.
   * @throws RunStateError when the state is malformed, belongs to another principal or tool set, or a decision
   * names no pending request.
   */
  async resume(state: RunState, decisions: readonly ApprovalDecision[], options: Omit<RunOptions, 'runId' | 'trigger'> = {}): Promise<RunResult> {
    const emit = <K extends AgentEventName>(name: K, data: AgentEventMap[K]) => this.emit(name, data);
    checkResumable(this.rt, state, decisions);
    const ctx = this.context(state.runId, 'approval-resume', options.signal, emit, false);
    if (options.idempotencyKey !== undefined) ctx.idempotencyKey = options.idempotencyKey;
    Object.assign(ctx, {
      messages: state.messages,
      step: state.step,
      usage: state.usage,
      actions: state.actions,
      untrustedText: state.untrustedText,
      readUntrusted: state.untrustedText !== '',
      trustedText: trustedTextOf(state.messages),
    });
    emit('run:start', { runId: ctx.runId, input: '', principal: this.rt.principal, trigger: ctx.trigger, environment: this.rt.environment, resumed: true });
    await recordAudit(ctx, { type: 'run.start', data: { resumed: true, decisions: decisions.length } });
    const step: StepResult = { step: state.step, attempts: 0, text: '', toolCalls: state.pending.map((p) => p.call), finishReason: 'tool_calls', usageRecordIds: [], toolResults: [], startedAt: this.rt.clock(), durationMs: 0 };
    const outcomes = await Promise.all(
      state.pending.map(async (pending) => {
        if (pending.status === 'done') {
          const r = pending.result!;
          return { type: 'done' as const, result: { call: pending.call, status: r.isError ? ('error' as const) : ('ok' as const), content: r.content, isError: r.isError, durationMs: 0 }, untrusted: r.untrusted };
        }
        const request = pending.request!;
        const answer = decisions.filter((d) => d.requestId === request.id);
        if (answer.length === 0) return { type: 'pending' as const, request };
        return resumeToolCall(ctx, pending.call, request, answer);
      }),
    );
    const stillPending = collectOutcomes(ctx, step, step.toolCalls, outcomes);
    step.durationMs = this.rt.clock() - step.startedAt;
    ctx.steps.push(step);
    emit('step', { runId: ctx.runId, step });
    if (this.rt.runStateStore) await this.rt.runStateStore.delete(state.runId);
    let result: RunResult;
    if (stillPending.some((p) => p.status === 'awaiting_approval')) {
      result = await suspend(ctx, stillPending);
    } else {
      result = await runLoop(ctx);
    }
    return this.finishRun(ctx, '', result);
  }

  private async execute(input: string, options: RunOptions, emit: RunContext['emit'], streaming: boolean): Promise<RunResult> {
    if (typeof input !== 'string' || input.trim() === '') throw new InvalidArgumentError('agent.run needs a non-empty input string.');
    const ctx = this.context(options.runId ?? randomUUID(), options.trigger ?? this.rt.defaultTrigger, options.signal, emit, streaming);
    if (options.idempotencyKey !== undefined) ctx.idempotencyKey = options.idempotencyKey;
    emit('run:start', { runId: ctx.runId, input, principal: this.rt.principal, trigger: ctx.trigger, environment: this.rt.environment, resumed: false });
    let memoryText = '';
    if (this.rt.memory) {
      const context = await buildMemoryContext(this.rt.memory.store, { query: input, principal: this.rt.principal, maxTokens: this.rt.memory.maxTokens, k: this.rt.memory.k });
      memoryText = context.text;
    }
    ctx.messages = buildInitialMessages({ instructions: this.rt.instructions, skills: this.rt.skills, memory: memoryText, input });
    ctx.trustedText = trustedTextOf(ctx.messages);
    await recordAudit(ctx, { type: 'run.start', data: { input, trigger: ctx.trigger, environment: this.rt.environment, tools: this.rt.offered.map((t) => t.name) } });
    const result = await runLoop(ctx);
    return this.finishRun(ctx, input, result);
  }

  private async finishRun(ctx: RunContext, input: string, result: RunResult): Promise<RunResult> {
    if (result.stopReason !== 'suspended') {
      const actions: Record<string, number> = {};
      for (const action of ctx.actions) if (action.mode === 'performed') actions[action.toolName] = (actions[action.toolName] ?? 0) + 1;
      const outcome = { stopReason: result.stopReason, actions, answered: result.stopReason === 'final' && result.text.trim() !== '' };
      if (this.rt.meter?.ledger) await this.rt.meter.ledger.setOutcome(ctx.runId, outcome);
      await recordAudit(ctx, { type: 'run.end', data: { stopReason: result.stopReason, actions, error: result.error?.message } });
      if (this.rt.memory?.writeEpisodes && input !== '') {
        await writeEpisode(this.rt.memory.store, {
          principal: this.rt.principal,
          runId: ctx.runId,
          input,
          answer: result.text,
          actions: ctx.actions.map((a) => ({ toolName: a.toolName, mode: a.mode, ...(a.summary !== undefined ? { summary: a.summary } : {}) })),
          stopReason: result.stopReason,
          untrusted: ctx.readUntrusted,
        });
      }
    }
    ctx.emit('run:end', result);
    return result;
  }

  private context(runId: string, trigger: RunContext['trigger'], signal: AbortSignal | undefined, emit: RunContext['emit'], streaming: boolean): RunContext {
    return {
      rt: this.rt,
      runId,
      trigger,
      signal: signal ?? new AbortController().signal,
      emit,
      streaming,
      messages: [],
      step: 0,
      usage: emptyRunUsage(),
      actions: [],
      steps: [],
      untrustedText: '',
      trustedText: '',
      conversation: this.rt.meter?.conversationCounter(this.rt.model.model),
      readUntrusted: false,
    };
  }

  /** Calls each listener in isolation: a throwing listener is reported as an `error` event and the run goes on. */
  private emit<K extends AgentEventName>(name: K, data: AgentEventMap[K]): void {
    if (this.emitter.listenerCount(name) === 0) return;
    for (const listener of this.emitter.listeners(name) as Listener<K>[]) {
      try {
        listener(data);
      } catch (error) {
        if (name !== 'error') {
          this.emit('error', { runId: runIdOf(data), error: error instanceof Error ? error : new Error(String(error)) });
        }
      }
    }
  }
}

function runIdOf(data: unknown): string {
  return typeof data === 'object' && data !== null && 'runId' in data ? String((data as { runId: unknown }).runId) : '';
}

function trustedTextOf(messages: RunState['messages']): string {
  return messages.filter((m) => m.role === 'system' || m.role === 'user').map((m) => m.content).join('\n');
}

function checkResumable(rt: AgentRuntime, state: RunState, decisions: readonly ApprovalDecision[]): void {
  if (state === null || typeof state !== 'object' || state.version !== 1 || !Array.isArray(state.messages) || !Array.isArray(state.pending)) {
    throw new RunStateError('The run state is malformed or from an unknown version; pass the `state` of a suspended run result unchanged.');
  }
  if (state.principal?.id !== rt.principal.id) {
    throw new RunStateError(`The run belongs to "${state.principal?.id}", not to this agent's principal "${rt.principal.id}".`);
  }
  const names = rt.offered.map((t) => t.name).sort().join(',');
  if ([...state.toolNames].sort().join(',') !== names) {
    throw new RunStateError('The agent offering tools now differs from the one that suspended the run; resume with the same skills and grants.');
  }
  if (!Array.isArray(decisions)) throw new RunStateError('resume needs an array of approval decisions.');
  const pendingIds = new Set(state.pending.filter((p) => p.status === 'awaiting_approval').map((p) => p.request?.id));
  for (const decision of decisions) {
    if (!pendingIds.has(decision?.requestId)) {
      throw new RunStateError(`A decision names request ${JSON.stringify(decision?.requestId)}, which this run is not waiting for; it may be stale or for another run.`);
    }
  }
}

function resolveRuntime(options: AgentOptions): AgentRuntime {
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
  const offered = registry.list().filter(({ tool }) => tool.scopes.every((scope) => scopeTemplateGrantable(grants, scope))).map((r) => r.tool);
  const offeredSkillNames = [...new Set(offered.map((t) => skillOf.get(t.name)).filter((s): s is string => s !== undefined))];
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
