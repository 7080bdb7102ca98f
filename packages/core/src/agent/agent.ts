import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'eventemitter3';
import { AbortedError, InvalidArgumentError, RunStateError } from '../errors';
import type { AgentEventMap, AgentEventName, AgentStreamEvent } from '../events/agent-events';
import { isSubstantiveAnswer } from '../metering/answer-substance';
import { emptyRunUsage } from '../metering/run-usage';
import { buildMemoryContext } from '../memory/memory-context';
import { writeEpisode } from '../memory/write-episode';
import type { ApprovalDecision, ApprovalRequest } from '../policy/approval';
import { readUntrusted } from '../policy/taint';
import type { AgentOptions, RunOptions } from './agent-options';
import { recordAudit, type AgentRuntime, type RunContext } from './agent-runtime';
import { describePermissions, type PermissionSummary } from './describe-permissions';
import { resolveRuntime } from './resolve-runtime';
import { buildInitialMessages } from './prompt';
import { callToolDirectly, type CallToolOptions, type DirectToolCallResult } from './call-tool';
import { migrateRunState } from './migrate-run-state';
import { failedRun, runLoop } from './run-loop';
import type { RunResult } from './run-result';
import type { RunState } from './run-state';

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
   * Continues a run suspended for approval, possibly in another process. Nothing in the state is trusted for a
   * security decision: each waiting call's request is read from the approval store by its id, and the call is
   * decided again by the same decision as in `run` (scopes, policy, taint, the input hash recomputed from the input).
   * `decisions`, when given, are validated and recorded as `submitApproval` does; when omitted, the decisions
   * recorded in the approval store are used. Finished steps are neither re-run nor re-metered and completed tools
   * are not executed again. Tools get the run's idempotency key as before the suspension (`options.idempotencyKey`
   * replaces it).
   * @throws RunStateError when the state is malformed or of an unknown version, belongs to another principal or
   * tool set, names requests the approval store does not hold, or a decision names no pending request.
   */
  async resume(state: RunState, decisions?: readonly ApprovalDecision[], options: Omit<RunOptions, 'runId' | 'trigger'> = {}): Promise<RunResult> {
    const emit = <K extends AgentEventName>(name: K, data: AgentEventMap[K]) => this.emit(name, data);
    const current = migrateRunState(state);
    checkResumable(this.rt, current, decisions);
    const requests = await loadStoredRequests(this.rt, current);
    const idempotencyKey = options.idempotencyKey ?? current.idempotencyKey;
    const ctx = this.context(current.runId, 'approval-resume', { ...options, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) }, emit, false);
    ctx.messages = current.messages;
    ctx.step = current.step;
    ctx.usage = current.usage;
    ctx.actions = current.actions;
    emit('run:start', { runId: ctx.runId, input: '', principal: this.rt.principal, trigger: ctx.trigger, environment: this.rt.environment, resumed: true });
    const reported = new Set(current.pending.flatMap((p, i) => (p.status === 'done' ? [i] : [])));
    const result = await this.guard(ctx, async () => {
      await recordAudit(ctx, { type: 'run.start', data: { resumed: true, decisions: decisions?.length ?? 'from-store' } });
      return runLoop(ctx, {
        toolCalls: current.pending.map((p) => p.call),
        reported,
        sourceOf: (call, i) => {
          const pending = current.pending[i]!;
          if (pending.status === 'done') return { type: 'done', result: { call, status: pending.result.isError ? 'error' : 'ok', content: pending.result.content, isError: pending.result.isError, durationMs: 0 }, untrusted: pending.result.untrusted };
          const request = requests.get(i)!;
          const given = decisions?.filter((d) => d.requestId === request.id);
          return { kind: 'stored', request, ...(given && given.length > 0 ? { given } : {}) };
        },
        onStepDone: async () => {
          if (this.rt.runStateStore) await this.rt.runStateStore.delete(current.runId);
        },
      });
    });
    return this.finishRun(ctx, '', result);
  }

  /**
   * Runs one tool call outside a model loop (for an MCP server, a console, a script) through exactly the decision
   * and carry-out code of `run`: lookup, validation, scopes, policy, approvals (the agent's handler, else a pending
   * request in the approval store), sandbox preview, audit and alerts. A call needing approval with no handler (or a
   * handler that defers) is stored as a pending request; calling again with the same name and input after a human
   * approved it (`submitApproval`) performs it once.
   */
  async callTool(name: string, input: unknown, options: CallToolOptions = {}): Promise<DirectToolCallResult> {
    const emit = <K extends AgentEventName>(event: K, data: AgentEventMap[K]) => this.emit(event, data);
    const ctx = this.context(options.runId ?? randomUUID(), options.trigger ?? this.rt.defaultTrigger, options, emit, false);
    ctx.reuseStoredApprovals = true;
    return callToolDirectly(ctx, { id: options.callId ?? randomUUID(), name, input });
  }

  private async execute(input: string, options: RunOptions, emit: RunContext['emit'], streaming: boolean): Promise<RunResult> {
    if (typeof input !== 'string' || input.trim() === '') throw new InvalidArgumentError('agent.run needs a non-empty input string.');
    const ctx = this.context(options.runId ?? randomUUID(), options.trigger ?? this.rt.defaultTrigger, options, emit, streaming);
    emit('run:start', { runId: ctx.runId, input, principal: this.rt.principal, trigger: ctx.trigger, environment: this.rt.environment, resumed: false });
    const result = await this.guard(ctx, async () => {
      let memory = { text: '', untrusted: false };
      if (this.rt.memory) {
        const context = await buildMemoryContext(this.rt.memory.store, { query: input, principal: this.rt.principal, maxTokens: this.rt.memory.maxTokens, k: this.rt.memory.k });
        memory = { text: context.text, untrusted: context.items.some((r) => r.item.source.trust === 'untrusted') };
      }
      ctx.messages = buildInitialMessages({ instructions: this.rt.instructions, skills: this.rt.skills, memory, input });
      await recordAudit(ctx, { type: 'run.start', data: { input, trigger: ctx.trigger, environment: this.rt.environment, tools: this.rt.offered.map((t) => t.name) } });
      return runLoop(ctx);
    });
    return this.finishRun(ctx, input, result);
  }

  /** Runs part of a run; a failure of recording or recall becomes the run's result instead of a throw. */
  private async guard(ctx: RunContext, body: () => Promise<RunResult>): Promise<RunResult> {
    try {
      return await body();
    } catch (error) {
      return failedRun(ctx, error);
    }
  }

  private async finishRun(ctx: RunContext, input: string, result: RunResult): Promise<RunResult> {
    if (result.stopReason !== 'suspended' && result.stopReason !== 'store_error') {
      const actions: Record<string, number> = {};
      for (const action of ctx.actions) if (action.mode === 'performed') actions[action.toolName] = (actions[action.toolName] ?? 0) + 1;
      const outcome = { stopReason: result.stopReason, actions, answered: result.stopReason === 'final' && isSubstantiveAnswer(result.text) };
      result = await this.guard(ctx, async () => {
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
            untrusted: readUntrusted(ctx.messages),
          });
        }
        return result;
      });
    }
    ctx.emit('run:end', result);
    return result;
  }

  private context(runId: string, trigger: RunContext['trigger'], options: { signal?: AbortSignal; idempotencyKey?: string }, emit: RunContext['emit'], streaming: boolean): RunContext {
    const { signal, idempotencyKey } = options;
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
      conversation: this.rt.meter?.conversationCounter(this.rt.model.model),
      reuseStoredApprovals: false,
      idempotencyKey,
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

function checkResumable(rt: AgentRuntime, state: RunState, decisions: readonly ApprovalDecision[] | undefined): void {
  if (state.principal?.id !== rt.principal.id) {
    throw new RunStateError(`The run belongs to "${state.principal?.id}", not to this agent's principal "${rt.principal.id}".`);
  }
  const names = rt.offered.map((t) => t.name).sort().join(',');
  if ([...state.toolNames].sort().join(',') !== names) {
    throw new RunStateError('The agent offering tools now differs from the one that suspended the run; resume with the same skills and grants.');
  }
  if (decisions === undefined) return;
  if (!Array.isArray(decisions)) throw new RunStateError('resume needs an array of approval decisions, or none to use those recorded in the approval store.');
  const pendingIds = new Set(state.pending.flatMap((p) => (p.status === 'awaiting_approval' ? [p.request?.id] : [])));
  for (const decision of decisions) {
    if (!pendingIds.has(decision?.requestId)) {
      throw new RunStateError(`A decision names request ${JSON.stringify(decision?.requestId)}, which this run is not waiting for; it may be stale or for another run.`);
    }
  }
}

/** The stored request of every waiting call, checked to belong to this run and call; the state's copies are ignored. */
async function loadStoredRequests(rt: AgentRuntime, state: RunState): Promise<Map<number, ApprovalRequest>> {
  const requests = new Map<number, ApprovalRequest>();
  for (const [i, pending] of state.pending.entries()) {
    if (pending.status !== 'awaiting_approval') continue;
    const request = await rt.approvalStore.getRequest(String(pending.request?.id));
    if (!request) {
      throw new RunStateError(`The approval store holds no request ${JSON.stringify(pending.request?.id)}; resume with the approval store the run was suspended with.`);
    }
    if (request.runId !== state.runId || request.toolCallId !== pending.call.id || request.toolName !== pending.call.name || request.principal.id !== rt.principal.id) {
      throw new RunStateError(`Request ${request.id} in the approval store belongs to another run or call than the state says; the state was altered.`);
    }
    requests.set(i, request);
  }
  return requests;
}
