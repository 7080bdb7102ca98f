/**
 * docs/concepts.md: tools and a skill. A small team wiki with a read tool whose output is untrusted and a write
 * tool whose scope names the space it writes to.
 */
import { z } from 'zod';
import { defineSkill, defineTool } from '@claw/core';

/** The wiki's pages by `space/title` (a stand-in for a real wiki's API). */
export const pages = new Map<string, string>([
  ['eng/Deploys', 'Deploys happen Tuesday to Thursday, never on Fridays.'],
  ['eng/On-call', 'The on-call engineer answers pages within 15 minutes.'],
  ['sales/Pricing', 'List prices are reviewed every January.'],
]);

const wikiSearch = (maxHits: number) =>
  defineTool({
    name: 'wiki_search',
    description: 'Search wiki pages by words; returns space, title and text of each hit',
    input: z.object({ words: z.string().min(2) }),
    output: z.array(z.object({ space: z.string(), title: z.string(), text: z.string() })),
    scopes: ['wiki:read'],
    effect: 'read',
    untrustedOutput: true, // anyone can edit the wiki: its text is data, never instructions
    timeoutMs: 5_000,
    execute: ({ words }) =>
      [...pages]
        .filter(([, text]) => words.toLowerCase().split(/\s+/).every((w) => text.toLowerCase().includes(w)))
        .slice(0, maxHits)
        .map(([key, text]) => ({ space: key.split('/')[0]!, title: key.split('/')[1]!, text })),
  });

const wikiEdit = defineTool({
  name: 'wiki_edit',
  description: 'Replace the text of a wiki page',
  input: z.object({ space: z.enum(['eng', 'sales']), title: z.string().min(1), text: z.string().min(1) }),
  scopes: ['wiki:write:{space}'], // filled from the input: wiki:write:eng or wiki:write:sales
  effect: 'write',
  preview: ({ space, title, text }) => ({
    summary: `would replace ${space}/${title} (${pages.get(`${space}/${title}`)?.length ?? 0} characters) with ${text.length} characters`,
  }),
  execute: ({ space, title, text }, ctx) => {
    pages.set(`${space}/${title}`, text);
    return { saved: `${space}/${title}`, by: ctx.principal.id };
  },
});

export const wikiSkill = defineSkill({
  name: 'wiki',
  version: '1.0.0',
  description: 'Search and edit the team wiki',
  instructions: 'Search the wiki before answering questions about how the team works. Edit a page only when asked.',
  scopes: {
    'wiki:read': 'Search and read every wiki page',
    'wiki:write:{space}': 'Edit pages in one space; grant it per space, e.g. wiki:write:eng',
  },
  config: z.object({ maxHits: z.number().int().min(1).max(20).default(5) }),
  tools: ({ maxHits }) => [wikiSearch(maxHits), wikiEdit],
});
