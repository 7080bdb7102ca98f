import { AbortedError } from '@claw/core';
import type { BackendCallOptions, Ticket, TicketComment, TicketQuery, TicketSummary, TicketsBackend } from './tickets-backend.js';
import { TicketsError } from './tickets-error.js';

/** A ticket to start an `InMemoryTickets` with; omitted fields get defaults. */
export type TicketSeed = Pick<Ticket, 'id' | 'title' | 'body' | 'requester'> & Partial<Omit<Ticket, 'id' | 'title' | 'body' | 'requester'>>;

/** Options of {@link InMemoryTickets}. */
export interface InMemoryTicketsOptions {
  /** Timestamps of new comments and closes. Default `Date.now`. */
  clock?: () => number;
}

/**
 * A `TicketsBackend` held in memory, for tests and offline demos. It behaves like the real system where the skill
 * can tell: unknown ids and closing a closed ticket are `TicketsError`s, and an aborted signal is an `AbortedError`.
 * Reads return copies, so a caller cannot change stored tickets by mutating what it got.
 */
export class InMemoryTickets implements TicketsBackend {
  private readonly tickets = new Map<string, Ticket>();
  private readonly clock: () => number;
  private nextComment = 1;

  constructor(seed: readonly TicketSeed[] = [], options: InMemoryTicketsOptions = {}) {
    this.clock = options.clock ?? Date.now;
    const now = this.clock();
    for (const ticket of seed) {
      this.tickets.set(ticket.id, { status: 'open', priority: 'normal', comments: [], createdAt: now, updatedAt: now, ...structuredClone(ticket) });
    }
  }

  async search(query: TicketQuery, options: BackendCallOptions = {}): Promise<TicketSummary[]> {
    checkSignal(options.signal);
    const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return [...this.tickets.values()]
      .filter((t) => query.status === undefined || t.status === query.status)
      .filter((t) => query.assignee === undefined || t.assignee === query.assignee)
      .filter((t) => words.every((w) => `${t.title}\n${t.body}`.toLowerCase().includes(w)))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, query.limit)
      .map(({ comments, body: _body, resolution: _resolution, createdAt: _createdAt, ...summary }) => ({ ...summary, commentCount: comments.length }));
  }

  async read(id: string, options: BackendCallOptions = {}): Promise<Ticket> {
    checkSignal(options.signal);
    return structuredClone(this.find(id));
  }

  async comment(id: string, comment: { author: string; body: string }, options: BackendCallOptions = {}): Promise<TicketComment> {
    checkSignal(options.signal);
    const ticket = this.find(id);
    const added: TicketComment = { id: `c${this.nextComment++}`, author: comment.author, body: comment.body, visibility: 'internal', at: this.clock() };
    ticket.comments.push(added);
    ticket.updatedAt = added.at;
    return structuredClone(added);
  }

  async close(id: string, close: { closedBy: string; resolution: string }, options: BackendCallOptions = {}): Promise<Ticket> {
    checkSignal(options.signal);
    const ticket = this.find(id);
    if (ticket.status === 'closed') {
      throw new TicketsError('already_closed', `Ticket ${id} is already closed (${ticket.resolution ?? 'no resolution given'}). Nothing was changed.`, { ticketId: id });
    }
    ticket.status = 'closed';
    ticket.resolution = close.resolution;
    ticket.updatedAt = this.clock();
    ticket.comments.push({ id: `c${this.nextComment++}`, author: close.closedBy, body: `Closed: ${close.resolution}`, visibility: 'internal', at: ticket.updatedAt });
    return structuredClone(ticket);
  }

  private find(id: string): Ticket {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new TicketsError('not_found', `No ticket ${id}. Search with ticket_search to find the right id.`, { ticketId: id });
    return ticket;
  }
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('The ticket request was aborted.');
}
