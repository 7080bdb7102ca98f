import type { AgentEventMap, AgentEventName } from '../events/agent-events';
import type { ConversationCounter } from '../metering/conversation-counter';
import type { Meter } from '../metering/meter';
import type { RunUsage } from '../metering/run-usage';
import type { MemoryStore } from '../memory/memory-store';
import type { Message } from '../model/messages';
import type { ModelProvider, ModelToolSpec } from '../model/model-provider';
import type { RetryPolicy } from '../model/retry-policy';
import type { Alert, AlertSink } from '../policy/alert';
import type { AlertMonitor } from '../policy/alert-monitor';
import type { ApprovalHandler, ApprovalStore } from '../policy/approval';
import type { AuditEventInput, AuditLog } from '../policy/audit-log';
import type { PolicyOptions } from '../policy/decide-policy';
import type { Environment, Principal, Trigger } from '../policy/principal';
import { redactSecrets, type RedactionOptions } from '../policy/redact';
import type { ConfiguredSkill } from '../skills/define-skill';
import type { Tool } from '../tools/define-tool';
import type { ToolRegistry } from '../tools/tool-registry';
import type { RunResult, RunResultBase, StepResult } from './run-result';
import type { RunAction, RunStateStore } from './run-state';

/** An agent's resolved configuration, shared by all its runs. */
export interface AgentRuntime {
  model: ModelProvider;
  principal: Principal;
  grants: readonly string[];
  environment: Environment;
  instructions: string;
  /** Skills with at least one offered tool. */
  skills: readonly ConfiguredSkill[];
  registry: ToolRegistry;
  /** Granted tools, in the order they are offered to the model. */
  offered: readonly Tool[];
  offeredSpecs: readonly ModelToolSpec[];
  offeredSkillNames: readonly string[];
  approvals: ApprovalHandler | undefined;
  approvalTimeoutMs: number;
  approvalStore: ApprovalStore;
  policy: PolicyOptions;
  meter: Meter | undefined;
  memory: { store: MemoryStore; maxTokens: number; k: number; writeEpisodes: boolean } | undefined;
  audit: AuditLog | undefined;
  redaction: RedactionOptions;
  monitor: AlertMonitor;
  sinks: readonly AlertSink[];
  maxSteps: number;
  maxTokens: number | undefined;
  maxOutputTokens: number;
  retry: RetryPolicy;
  maxParallelTools: number;
  runStateStore: RunStateStore | undefined;
  clock: () => number;
  defaultTrigger: Trigger;
}

/** The mutable state of one run. */
export interface RunContext {
  rt: AgentRuntime;
  runId: string;
  trigger: Trigger;
  signal: AbortSignal;
  emit: <K extends AgentEventName>(name: K, data: AgentEventMap[K]) => void;
  streaming: boolean;
  messages: Message[];
  /** Model turns completed. */
  step: number;
  usage: RunUsage;
  actions: RunAction[];
  steps: StepResult[];
  conversation: ConversationCounter | undefined;
  /** `callTool` only: a call needing approval may use a request a human approved in the store for the same input. */
  reuseStoredApprovals: boolean;
  /** From `RunOptions.idempotencyKey` / `CallToolOptions.idempotencyKey`; handed to every tool as `ctx.idempotencyKey`. */
  idempotencyKey: string | undefined;
}

/** Appends to the audit log (redacted), if the agent has one. Awaited: an audit failure fails the action, it is never skipped. */
export async function recordAudit(ctx: RunContext, event: Omit<AuditEventInput, 'principalId' | 'runId'>): Promise<void> {
  const audit = ctx.rt.audit;
  if (!audit) return;
  await audit.append({ ...event, data: redactSecrets(event.data, ctx.rt.redaction), principalId: ctx.rt.principal.id, runId: ctx.runId });
}

/** Emits an alert, records it in the audit log and hands it to every sink; a failing sink is reported, not thrown. */
export async function raiseAlert(ctx: RunContext, alert: Alert): Promise<void> {
  const safe = redactSecrets(alert, ctx.rt.redaction);
  ctx.emit('alert', safe);
  await recordAudit(ctx, { type: 'alert', data: { kind: safe.kind, severity: safe.severity, message: safe.message, toolName: safe.toolName, details: safe.details } });
  for (const sink of ctx.rt.sinks) {
    Promise.resolve()
      .then(() => sink.send(safe))
      .catch((error: unknown) => ctx.emit('error', { runId: ctx.runId, error: error instanceof Error ? error : new Error(String(error)) }));
  }
}

/** The fields that make a run result of one stop reason (see {@link RunResult}). */
export type RunEnding = DistributiveOmit<RunResult, keyof RunResultBase> & { text?: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The result a run ends with; shared by the loop and suspension. */
export function runResult(ctx: RunContext, fields: RunEnding): RunResult {
  const last = ctx.steps.at(-1);
  return {
    runId: ctx.runId,
    steps: ctx.steps,
    usage: ctx.usage,
    actions: ctx.actions,
    ...fields,
    text: fields.text ?? (fields.stopReason === 'final' ? (last?.text ?? '') : ''),
  } as RunResult;
}
