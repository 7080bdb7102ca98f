import { defineTool } from '@claw/core';
import { z } from 'zod';
import type { TicketsBackend } from '../tickets-backend.js';
import { ticketIdInput } from './ticket-id.js';

/** `ticket_read`: one ticket with its whole conversation. Read-only; the output holds customer text. */
export function ticketReadTool(backend: TicketsBackend) {
  return defineTool({
    name: 'ticket_read',
    description: 'Read one ticket: its status, priority, requester, body and every comment.',
    input: z.object({ id: ticketIdInput }),
    scopes: ['tickets:read'],
    effect: 'read',
    untrustedOutput: true,
    execute: ({ id }, ctx) => backend.read(id, { signal: ctx.signal }),
  });
}
