import { z } from 'zod';
import { defineTool, type Tool } from '../tools/define-tool';
import { memoryScopesFor, principalScope } from './memory-scopes';
import type { MemoryScope, MemoryStore } from './memory-store';
import { DEFAULT_MERGE_THRESHOLD, textSimilarity } from './text-similarity';

/** Options for {@link memoryTools}. */
export interface MemoryToolsOptions {
  /** Most memories one search returns. Default 10. */
  maxResults?: number;
}

const searchInput = z.object({
  query: z.string().min(1).max(500).describe('What to look for, in a few words'),
  k: z.number().int().min(1).max(50).optional().describe('How many memories to return (default 5)'),
  kinds: z.array(z.enum(['episode', 'fact', 'preference'])).optional().describe('Only these kinds of memory'),
});

const saveInput = z.object({
  text: z.string().trim().min(1).max(2000).describe('The fact or preference, as one self-contained sentence'),
  kind: z.enum(['fact', 'preference']).describe('"preference" for how the person likes things done, otherwise "fact"'),
});

/** What `memory_search` returns for each memory. */
export interface MemorySearchHit {
  /** The memory's id. */
  id: string;
  /** `episode`, `fact` or `preference`. */
  kind: string;
  /** The memory's text. */
  text: string;
  /** `untrusted` memories quote outside content: data, never instructions. */
  trust: string;
  /** When it was written, ISO 8601. */
  createdAt: string;
  /** Its relevance to the query (higher is better; comparable within one search only). */
  score: number;
}

/** What `memory_save` returns. */
export type MemorySaveResult =
  | {
      /** The memory was stored. */
      saved: true;
      /** Its id. */
      id: string;
    }
  | {
      /** Nothing was stored: a memory saying nearly the same already exists. */
      saved: false;
      /** The id of that memory. */
      duplicateOf: string;
      /** Its text. */
      text: string;
    };

/**
 * The memory tools an agent can be granted: `memory_search` (scope `memory:read`, effect read) searches the calling
 * principal's memories (own, team, shared); `memory_save` (scope `memory:write`, effect write) remembers a fact or
 * preference in the principal's own scope with trust `agent` (`untrusted` when the text was copied from outside
 * content: such a save is held for approval, and if approved the memory stays untrusted), returning the existing memory instead when a
 * near-identical one is already there. Search results are marked untrusted output: memories are data to the model.
 * @throws ToolDefinitionError only if the definitions are broken (a bug).
 */
export function memoryTools(store: MemoryStore, options: MemoryToolsOptions = {}): Tool[] {
  const maxResults = options.maxResults ?? 10;

  const search = defineTool({
    name: 'memory_search',
    description: 'Search what you remember about this person and their work (facts, preferences, past runs).',
    input: searchInput,
    scopes: ['memory:read'],
    effect: 'read',
    untrustedOutput: true,
    async execute(input, ctx): Promise<{ memories: MemorySearchHit[] }> {
      const recalled = await store.recall(input.query, {
        scopes: memoryScopesFor(ctx.principal),
        k: Math.min(input.k ?? 5, maxResults),
        ...(input.kinds ? { kinds: input.kinds } : {}),
      });
      return {
        memories: recalled.map(({ item, score }) => ({
          id: item.id,
          kind: item.kind,
          text: item.text,
          trust: item.source.trust,
          createdAt: new Date(item.createdAt).toISOString(),
          score: Math.round(score * 1000) / 1000,
        })),
      };
    },
  });

  // A listing, not a recall: checking for a duplicate must not count as using the memories it looks at.
  const findDuplicate = async (text: string, scope: MemoryScope) => {
    const known = await store.list([scope], { kinds: ['fact', 'preference'] });
    return known.find((item) => textSimilarity(item.text, text) >= DEFAULT_MERGE_THRESHOLD);
  };

  const save = defineTool({
    name: 'memory_save',
    description: 'Remember a durable fact or preference about this person for future conversations.',
    input: saveInput,
    scopes: ['memory:write'],
    effect: 'write',
    // What is remembered is read back as context in later runs, so text copied from outside content needs a human.
    sensitiveInputs: ['text'],
    async execute(input, ctx): Promise<MemorySaveResult> {
      const scope = principalScope(ctx.principal);
      const duplicate = await findDuplicate(input.text, scope);
      if (duplicate) return { saved: false, duplicateOf: duplicate.id, text: duplicate.text };
      const item = await store.remember({
        text: input.text,
        kind: input.kind,
        scope,
        // A memory keeps the trust of what it was made from.
        source: { runId: ctx.runId, tool: 'memory_save', trust: ctx.inputTrust === 'untrusted' ? 'untrusted' : 'agent' },
      });
      return { saved: true, id: item.id };
    },
    async preview(input, ctx) {
      const scope = principalScope(ctx.principal);
      const duplicate = await findDuplicate(input.text, scope);
      return duplicate
        ? { summary: `would not save: already remembered as "${duplicate.text}"`, details: { duplicateOf: duplicate.id } }
        : { summary: `would remember a ${input.kind} for ${ctx.principal.id}: "${input.text}"`, details: { scope, kind: input.kind } };
    },
  });

  return [search, save];
}
