import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { {{Name}}Backend } from '../{{name}}-backend';

/** `{{snake}}_add`: adds a note, so its effect is `write`: previewed in the sandbox, approved in production. */
export function {{camel}}AddTool(backend: {{Name}}Backend) {
  return defineTool({
    name: '{{snake}}_add',
    description: 'Add a note.',
    input: z.object({ text: z.string().trim().min(1).max(2000).describe('The note, in plain text') }),
    scopes: ['{{name}}:write'],
    effect: 'write',
    preview({ text }) {
      return { summary: `Would add the note "${text}"`, details: { text } };
    },
    async execute({ text }, ctx) {
      const note = await backend.add({ text, author: ctx.principal.id }, { signal: ctx.signal });
      return { added: note };
    },
  });
}
