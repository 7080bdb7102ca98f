import { z } from 'zod';
import { ModelError } from '../errors';
import type { Message } from '../model/messages';
import type { Principal } from '../policy/principal';
import type { MemoryItem } from './memory-store';

/** A candidate fact as the model proposed it. */
export interface DreamCandidate {
  /** One self-contained sentence in the third person. */
  text: string;
  /** A fact, or how the person likes things done. */
  kind: 'fact' | 'preference';
  /** Ids of the episodes of the request that support it (at least one). */
  episodes: string[];
}

/** The answer of one consolidation call. */
export interface DreamAnswer {
  /** The candidate facts, possibly none. */
  facts: DreamCandidate[];
}

/**
 * What the model must answer with, and nothing else:
 *
 *   {"facts":[{"text":"Priya prefers short summaries.","kind":"preference","episodes":["<episode id>", ...]}]}
 *
 * `episodes` lists the ids of the episodes (from this request) that support the fact.
 */
export const dreamAnswerSchema: z.ZodType<DreamAnswer> = z.object({
  facts: z.array(
    z.object({
      text: z.string().trim().min(1).max(500),
      kind: z.enum(['fact', 'preference']),
      episodes: z.array(z.string().min(1)).min(1),
    }),
  ),
});

/** The instructions of every consolidation call (versioned with the package, published in docs/memory.md). */
export const DREAM_INSTRUCTIONS = [
  'You consolidate an assistant\'s memory of its work for one person.',
  'From the episodes below, extract durable facts about the person, their work and their preferences that will still',
  'be useful in future conversations: stable preferences, recurring routines, standing instructions, the people and',
  'systems they work with. Skip one-off details, passing states, and anything you are unsure of.',
  'Write each fact as one self-contained sentence in the third person that names the person, and use the same wording',
  'for the same fact every time. Cite the id of every episode that supports it.',
  'Answer with JSON only, no prose and no code fence, in exactly this shape:',
  '{"facts":[{"text":"<one sentence>","kind":"fact or preference","episodes":["<episode id>"]}]}',
  'Answer {"facts":[]} when there is nothing durable.',
].join('\n');

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The messages of one consolidation call over a batch of (trusted) episodes. */
export function dreamMessages(principal: Principal, episodes: readonly MemoryItem[]): Message[] {
  const name = principal.displayName ? `${principal.displayName} (id ${principal.id})` : principal.id;
  const body = episodes
    .map(
      (episode) =>
        `<episode id="${episode.id}" date="${new Date(episode.createdAt).toISOString().slice(0, 10)}" ` +
        `source="${episode.source.trust}">\n${escape(episode.text)}\n</episode>`,
    )
    .join('\n');
  return [
    { role: 'system', content: DREAM_INSTRUCTIONS, part: 'system' },
    { role: 'user', content: `Person: ${name}\n\n${body}` },
  ];
}

/**
 * Reads the model's answer: a JSON object of the documented shape, optionally inside one ```json fence.
 * @throws ModelError (kind `invalid_response`) when it is not valid JSON of that shape.
 */
export function parseDreamAnswer(text: string, provider: string): DreamCandidate[] {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  const raw = (fenced ? fenced[1]! : text).trim();
  const fail = (detail: string) =>
    new ModelError({
      provider,
      kind: 'invalid_response',
      retryable: false,
      message: `The dream model's answer is not the expected JSON (${detail}). Nothing was written; use a model that follows JSON instructions, or check its output.`,
    });
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw fail((error as Error).message);
  }
  const parsed = dreamAnswerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data.facts;
}
