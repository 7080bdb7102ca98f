import type { AuditLog } from '../policy/audit-log';
import type { AlertSink } from '../policy/alert';
import type { AlertRules } from '../policy/alert-monitor';
import type { ApprovalHandler, ApprovalStore } from '../policy/approval';
import type { PolicyOptions } from '../policy/decide-policy';
import type { Environment, Principal, Trigger } from '../policy/principal';
import type { RedactionOptions } from '../policy/redact';
import type { Meter } from '../metering/meter';
import type { MemoryStore } from '../memory/memory-store';
import type { ModelProvider } from '../model/model-provider';
import type { RetryPolicy } from '../model/retry-policy';
import type { ConfiguredSkill } from '../skills/define-skill';
import type { Tool } from '../tools/define-tool';
import type { RunStateStore } from './run-state';

/** Limits of one run. */
export interface RunBudget {
  /** Tokens (input + output, all attempts) one run may use; checked before every model call. */
  maxTokens?: number;
  /** Model turns per run. Default 12. */
  maxSteps?: number;
  /** Output limit per model call. Default 4096 (clamped further by budgets). */
  maxOutputTokens?: number;
}

/** Memory settings: recall before each run, an episode after it. */
export interface AgentMemoryOptions {
  store: MemoryStore;
  /** Token cap of recalled memory in the prompt. Default 1000. */
  maxTokens?: number;
  /** Most items recalled. Default 8. */
  k?: number;
  /** Write an episode after each run. Default true. */
  writeEpisodes?: boolean;
}

/** Everything an `Agent` is built from. Only `model` and `principal` are required; nothing is granted by default. */
export interface AgentOptions {
  model: ModelProvider;
  skills?: readonly ConfiguredSkill[];
  /** Tools given directly, besides those of skills. */
  tools?: readonly Tool[];
  principal: Principal;
  /** Scope patterns granted to this agent. Default none. */
  grants?: readonly string[];
  /** Default `sandbox`: side effects are previewed until you opt into `production`. */
  environment?: Environment;
  /** The operator's system prompt. */
  instructions?: string;
  /** Asks humans; without one, runs needing approval suspend and are resumed with `agent.resume`. */
  approvals?: ApprovalHandler;
  /** How long an approval request stays valid. Default 15 minutes. */
  approvalTimeoutMs?: number;
  approvalStore?: ApprovalStore;
  policy?: PolicyOptions;
  /** The meter (default: a new in-memory `Meter`); `false` turns metering off (usage then only from provider reports). */
  meter?: Meter | false;
  memory?: MemoryStore | AgentMemoryOptions;
  audit?: AuditLog;
  redaction?: RedactionOptions;
  alerts?: AlertRules & { sinks?: readonly AlertSink[] };
  budget?: RunBudget;
  retry?: Partial<RetryPolicy>;
  /** Tool calls of one step run concurrently up to this many. Default 4. */
  maxParallelTools?: number;
  /** Where suspended runs are saved (optional: the state is also in the run result). */
  runStateStore?: RunStateStore;
  /** Default trigger of runs. Default `user`. */
  trigger?: Trigger;
  /** Current time in ms since epoch. Default `Date.now`; tests pass a fake clock. */
  clock?: () => number;
}

/** Per-run options. */
export interface RunOptions {
  signal?: AbortSignal;
  trigger?: Trigger;
  /** Supply a run id (e.g. a job id) instead of a random one. */
  runId?: string;
  /** Handed to every tool of the run as `ctx.idempotencyKey` (background jobs pass one per job, principal and tick). */
  idempotencyKey?: string;
}
