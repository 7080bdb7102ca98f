import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { {{Name}}Backend } from '../{{name}}-backend';

/** `{{snake}}_search`: finds notes containing every word; notes come back marked as untrusted content. */
export function {{camel}}SearchTool(backend: {{Name}}Backend, maxResults: number) {
  return defineTool({
    name: '{{snake}}_search',
    description: 'Search notes by words they contain. Most recent first.',
    input: z.object({
      text: z.string().max(200).describe('Words that must all appear in the note'),
      limit: z.number().int().min(1).max(maxResults).optional().describe(`At most ${maxResults}`),
    }),
    scopes: ['{{name}}:read'],
    effect: 'read',
    untrustedOutput: true,
    async execute({ text, limit }, ctx) {
      const notes = await backend.search(text, limit ?? maxResults, { signal: ctx.signal });
      return { count: notes.length, notes };
    },
  });
}
