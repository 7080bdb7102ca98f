import { InvalidArgumentError } from '../errors';
import type { Principal } from '../policy/principal';
import { redactText } from '../policy/redact';
import { principalScope } from './memory-scopes';
import type { MemoryItem, MemoryStore } from './memory-store';

/** One action of a run, as the episode records it. */
export interface EpisodeAction {
  /** The tool that acted. */
  toolName: string;
  /** How it ran, e.g. `executed`, `previewed`, `denied`. */
  mode: string;
  /** What it did in a sentence (a preview summary, a result summary). */
  summary?: string;
}

/** Options for {@link writeEpisode}. */
export interface WriteEpisodeOptions {
  /** The person the run acted for; the episode goes into their own scope. */
  principal: Principal;
  /** The run the episode records (kept as its source). */
  runId: string;
  /** What the person asked. */
  input: string;
  /** The run's final answer (may be empty). */
  answer: string;
  /** The side effects of the run, performed or previewed. */
  actions: readonly EpisodeAction[];
  /** How the run ended (`final`, `budget`, …). */
  stopReason: string;
  /** The run read untrusted content (email, Slack, web). */
  untrusted: boolean;
  /**
   * When the run read untrusted content: `include` (default) keeps the answer and action summaries, which may quote
   * it, and marks the episode untrusted; `exclude` leaves them out so the episode (input, tool names, outcome) is
   * trusted agent content that dreaming may learn from.
   */
  untrustedContent?: 'include' | 'exclude';
  /** Longest input or answer kept, in characters. Default 1000. */
  maxFieldLength?: number;
  /** When the episode happened, in milliseconds since the epoch. Default now. */
  createdAt?: number;
}

function clip(text: string, max: number): string {
  const flat = text.trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The text of an episode: what was asked, what was done, how it ended. */
export function formatEpisode(options: WriteEpisodeOptions, includeOutsideContent: boolean): string {
  const max = options.maxFieldLength ?? 1000;
  const actions = options.actions.map((action) => {
    const summary = includeOutsideContent && action.summary ? `: ${clip(action.summary, 200)}` : '';
    return `${action.toolName} (${action.mode})${summary}`;
  });
  const lines = [`Asked: ${clip(options.input, max)}`, `Did: ${actions.length > 0 ? actions.join('; ') : 'nothing'}`];
  const answer = includeOutsideContent ? clip(options.answer, max) : '';
  lines.push(`Outcome: ${options.stopReason}${answer ? ` - ${answer}` : ''}`);
  return lines.join('\n');
}

/**
 * Records a finished run as an `episode` memory in the principal's own scope, for recall and for dreaming.
 * Its trust is `untrusted` when the run read untrusted content and the episode keeps text that may quote it,
 * otherwise `agent`; dreaming never promotes untrusted episodes. Secrets (API keys, tokens, passwords in URLs) are
 * redacted from the stored text.
 * @throws InvalidArgumentError for a missing run id or input; whatever the store throws.
 */
export async function writeEpisode(store: MemoryStore, options: WriteEpisodeOptions): Promise<MemoryItem> {
  if (typeof options.runId !== 'string' || options.runId === '') throw new InvalidArgumentError('writeEpisode needs a runId.');
  if (typeof options.input !== 'string') throw new InvalidArgumentError('writeEpisode needs the run input as a string.');
  if (!Array.isArray(options.actions)) throw new InvalidArgumentError('writeEpisode needs "actions" (an array, possibly empty).');
  const includeOutsideContent = !options.untrusted || options.untrustedContent !== 'exclude';
  const untrusted = options.untrusted && includeOutsideContent;
  return store.remember({
    // Episodes are recalled into later prompts and read by dreaming: a key pasted into a request must not live on there.
    text: redactText(formatEpisode(options, includeOutsideContent)),
    kind: 'episode',
    scope: principalScope(options.principal),
    source: { runId: options.runId, trust: untrusted ? 'untrusted' : 'agent' },
    ...(options.createdAt !== undefined ? { createdAt: options.createdAt } : {}),
    metadata: {
      runId: options.runId,
      stopReason: options.stopReason,
      tools: [...new Set(options.actions.map((a) => a.toolName))],
      readUntrusted: options.untrusted,
    },
  });
}
