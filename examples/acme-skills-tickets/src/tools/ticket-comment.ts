import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { TicketsBackend } from '../tickets-backend.js';
import { ticketIdInput } from './ticket-id.js';

/**
 * `ticket_comment`: adds an internal note (seen by the support team, never by the customer), so its effect is
 * `write`. A reply the customer would receive reaches outside and would be a separate tool with effect `external`.
 */
export function ticketCommentTool(backend: TicketsBackend) {
  return defineTool({
    name: 'ticket_comment',
    description: 'Add an internal note to a ticket. The support team sees it; the customer does not.',
    input: z.object({
      id: ticketIdInput,
      body: z.string().trim().min(1).max(5000).describe('The note, in plain text'),
    }),
    scopes: ['tickets:write'],
    effect: 'write',
    async preview({ id, body }, ctx) {
      const ticket = await backend.read(id, { signal: ctx.signal });
      return {
        summary: `Would add an internal note to ${id} ("${ticket.title}", ${ticket.status}): "${body}"`,
        details: { id, title: ticket.title, status: ticket.status, body },
      };
    },
    async execute({ id, body }, ctx) {
      const comment = await backend.comment(id, { author: ctx.principal.id, body }, { signal: ctx.signal });
      return { ticketId: id, comment };
    },
  });
}
