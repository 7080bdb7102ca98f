import type { z } from 'zod';
import { ToolDefinitionError } from '../errors';
import type { AlertKind } from '../policy/alert';
import type { Environment, Principal, Trigger } from '../policy/principal';

/** What a tool does to the world; drives approval defaults and sandbox behaviour. */
export type ToolEffect = 'read' | 'write' | 'external' | 'deploy';

const EFFECTS: readonly ToolEffect[] = ['read', 'write', 'external', 'deploy'];
const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const SCOPE = /^[a-z0-9_.*-]+(:[^:\s]+)*$/i;

/** Everything a tool's `execute` and `preview` may use about the call they serve. */
export interface ToolContext {
  /** Fires when the run is aborted or the tool's timeout passes; pass it to any I/O. */
  signal: AbortSignal;
  principal: Principal;
  environment: Environment;
  runId: string;
  toolCallId: string;
  trigger: Trigger;
  /**
   * Set when the run belongs to a background job's tick: the same for every attempt of one (job, principal, tick).
   * A tool with side effects combines it with its input to perform each action once, even when a crashed tick is
   * retried (e.g. "move these messages" under the same key twice moves them once).
   */
  idempotencyKey?: string;
  /**
   * `untrusted` when the call's sensitive arguments repeat outside content (the call was approved anyway): anything
   * the tool stores from them, such as a memory, must keep that trust.
   */
  inputTrust?: 'trusted' | 'untrusted';
  /** Raises an alert (e.g. a failed or stuck deploy) through the agent's alert event and sinks. */
  alert(alert: { kind: AlertKind; severity: 'info' | 'warning' | 'critical'; message: string; details?: Record<string, unknown> }): void;
}

/** What a tool would do, shown to approvers and returned in sandbox runs instead of doing it. */
export interface ToolPreview {
  /** One or two sentences a person can check, e.g. "would move 14 messages to Newsletters". */
  summary: string;
  /** Structured detail for UIs and tests. */
  details?: unknown;
}

/** The definition a developer writes with {@link defineTool}. */
export interface ToolSpec<Input, Output> {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  output?: z.ZodType<Output>;
  /**
   * Scopes a principal must hold. A scope may name an input field in braces (`deploy:{environment}`):
   * the tool is offered when some grant could match, and each call is checked with the field's value filled in.
   */
  scopes: readonly string[];
  /**
   * Marks a `read` tool that needs no grant because it touches nothing (a calculator, a clock). Deny by default:
   * every other tool must declare at least one scope, so an agent with no grants is offered nothing else.
   */
  unscoped?: boolean;
  effect: ToolEffect;
  /** Does the work with validated input and returns the result the model sees. A throw fails this call only. */
  execute(input: Input, ctx: ToolContext): Promise<Output> | Output;
  /** Describes what `execute` would do without doing it; shown to approvers and returned in sandbox runs. */
  preview?(input: Input, ctx: ToolContext): Promise<ToolPreview> | ToolPreview;
  /** Abort `execute` after this long (its signal fires and the call fails with `ToolTimeoutError`). */
  timeoutMs?: number;
  /** The output carries outside content (email, Slack, web): the model is told it is data, not instructions. */
  untrustedOutput?: boolean;
  /**
   * Input fields whose values must not come from untrusted content: recipients, channels, environments, refs.
   * A call whose listed fields repeat text found only in untrusted content raises an `untrusted-influence` alert
   * and needs approval. Default: every field for `external` and `deploy` tools, none for `read` and `write` tools.
   */
  sensitiveInputs?: readonly string[];
  /**
   * Free-text input fields (a message body; structured fields are read as JSON) whose links — URLs, their hosts, email addresses — are checked like
   * sensitive inputs, while the rest of the text may quote untrusted content freely. A message that carries a link
   * only untrusted content named raises `untrusted-influence` and needs approval. Default none.
   */
  linkInputs?: readonly string[];
}

/**
 * A validated tool definition; see {@link defineTool}.
 * @property preview Describes what `execute` would do without doing it; shown to approvers and returned in sandbox runs.
 */
export interface Tool<Input = any, Output = any> extends Readonly<ToolSpec<Input, Output>> {
  readonly kind: 'claw.tool';
}

/**
 * Defines a tool. Validates the definition eagerly so mistakes surface at import time, not mid-run.
 * @throws ToolDefinitionError when the name, schema, scopes or effect are malformed.
 */
export function defineTool<Input, Output>(spec: ToolSpec<Input, Output>): Tool<Input, Output> {
  if (typeof spec?.name !== 'string' || !TOOL_NAME.test(spec.name)) {
    throw new ToolDefinitionError(
      `Tool name ${JSON.stringify(spec?.name)} is invalid: use 1-64 characters of a-z, 0-9 and _, starting with a letter.`,
    );
  }
  if (typeof spec.description !== 'string' || spec.description.trim() === '') {
    throw new ToolDefinitionError(`Tool "${spec.name}" needs a description: the model chooses tools by it.`);
  }
  if (!spec.input || typeof (spec.input as { safeParse?: unknown }).safeParse !== 'function') {
    throw new ToolDefinitionError(`Tool "${spec.name}" needs a zod schema as "input".`);
  }
  if (!EFFECTS.includes(spec.effect)) {
    throw new ToolDefinitionError(
      `Tool "${spec.name}" has effect ${JSON.stringify(spec.effect)}; use one of ${EFFECTS.join(', ')}.`,
    );
  }
  if (!Array.isArray(spec.scopes) || spec.scopes.some((s) => typeof s !== 'string' || !SCOPE.test(s))) {
    throw new ToolDefinitionError(
      `Tool "${spec.name}" needs "scopes": an array of scope strings such as "email:read".`,
    );
  }
  if (spec.unscoped !== undefined && typeof spec.unscoped !== 'boolean') {
    throw new ToolDefinitionError(`Tool "${spec.name}" has "unscoped" that is not a boolean.`);
  }
  if (spec.scopes.length === 0 && !(spec.unscoped === true && spec.effect === 'read')) {
    throw new ToolDefinitionError(
      `Tool "${spec.name}" declares no scopes, so no grant could ever withhold it. Give it a scope an operator grants (e.g. "${spec.name.split('_')[0]}:use"), or, for a read-only helper that touches nothing, set unscoped: true.`,
    );
  }
  if (spec.unscoped === true && spec.scopes.length > 0) {
    throw new ToolDefinitionError(`Tool "${spec.name}" is marked unscoped but declares scopes; drop one of the two.`);
  }
  if (typeof spec.execute !== 'function') {
    throw new ToolDefinitionError(`Tool "${spec.name}" needs an execute(input, ctx) function.`);
  }
  if (spec.sensitiveInputs !== undefined && (!Array.isArray(spec.sensitiveInputs) || spec.sensitiveInputs.some((f) => typeof f !== 'string'))) {
    throw new ToolDefinitionError(`Tool "${spec.name}" has "sensitiveInputs" that is not an array of input field names.`);
  }
  if (spec.linkInputs !== undefined && (!Array.isArray(spec.linkInputs) || spec.linkInputs.some((f) => typeof f !== 'string'))) {
    throw new ToolDefinitionError(`Tool "${spec.name}" has "linkInputs" that is not an array of input field names.`);
  }
  if (spec.timeoutMs !== undefined && !(Number.isFinite(spec.timeoutMs) && spec.timeoutMs > 0)) {
    throw new ToolDefinitionError(`Tool "${spec.name}" has timeoutMs ${spec.timeoutMs}; use a positive number of milliseconds.`);
  }
  return Object.freeze({ ...spec, scopes: Object.freeze([...spec.scopes]), kind: 'claw.tool' as const });
}
