import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { TicketsBackend } from '../tickets-backend.js';

/** `ticket_search`: finds tickets by words, status and assignee. Read-only; results hold customer text. */
export function ticketSearchTool(backend: TicketsBackend, maxResults: number) {
  return defineTool({
    name: 'ticket_search',
    description: 'Search tickets by words in their title or body, status and assignee. Most recently updated first.',
    input: z.object({
      text: z.string().max(200).optional().describe('Words that must all appear in the title or body'),
      status: z.enum(['open', 'pending', 'closed']).optional(),
      assignee: z.email().optional().describe('Email address of the assignee'),
      limit: z.number().int().min(1).max(maxResults).optional().describe(`At most ${maxResults}`),
    }),
    scopes: ['tickets:read'],
    effect: 'read',
    untrustedOutput: true,
    async execute({ limit, ...query }, ctx) {
      const tickets = await backend.search({ ...query, limit: limit ?? maxResults }, { signal: ctx.signal });
      return { count: tickets.length, tickets };
    },
  });
}
