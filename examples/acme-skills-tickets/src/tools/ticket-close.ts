import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { TicketsBackend } from '../tickets-backend.js';
import { ticketIdInput } from './ticket-id.js';

/**
 * `ticket_close`: closes a ticket with a resolution. The preview says what would close, or why nothing would.
 * The id is a sensitive input: a close whose id appears only in customer text (not in the user's request) was
 * steered by that text, so it raises an alert and always waits for a person.
 */
export function ticketCloseTool(backend: TicketsBackend) {
  return defineTool({
    name: 'ticket_close',
    description: 'Close a ticket, recording the resolution. Only when the user asked for it.',
    input: z.object({
      id: ticketIdInput,
      resolution: z.string().trim().min(3).max(1000).describe('Why the ticket is closed, in one sentence'),
    }),
    scopes: ['tickets:write'],
    effect: 'write',
    sensitiveInputs: ['id'],
    async preview({ id, resolution }, ctx) {
      const ticket = await backend.read(id, { signal: ctx.signal });
      if (ticket.status === 'closed') {
        return { summary: `Nothing to do: ${id} is already closed (${ticket.resolution ?? 'no resolution given'}).`, details: { id, status: ticket.status } };
      }
      return {
        summary: `Would close ${id} ("${ticket.title}", ${ticket.priority} priority, requested by ${ticket.requester}) with resolution "${resolution}"`,
        details: { id, title: ticket.title, status: ticket.status, requester: ticket.requester, resolution },
      };
    },
    async execute({ id, resolution }, ctx) {
      const ticket = await backend.close(id, { closedBy: ctx.principal.id, resolution }, { signal: ctx.signal });
      return { id: ticket.id, status: ticket.status, resolution: ticket.resolution };
    },
  });
}
