/** Where a ticket is in its life. */
export type TicketStatus = 'open' | 'pending' | 'closed';

/** How urgent a ticket is. */
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

/** A note on a ticket. Internal notes are seen by the support team only, never by the requester. */
export interface TicketComment {
  id: string;
  author: string;
  body: string;
  visibility: 'internal' | 'public';
  at: number;
}

/** A ticket as the skill sees it. `title`, `body` and public comments are written by customers. */
export interface Ticket {
  /** `T-<number>`, e.g. `T-42`. */
  id: string;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  /** Email address of the person who opened it. */
  requester: string;
  assignee?: string;
  body: string;
  comments: TicketComment[];
  /** Why it was closed; set when `status` is `closed`. */
  resolution?: string;
  createdAt: number;
  updatedAt: number;
}

/** One search hit: enough to choose a ticket, without its conversation. */
export type TicketSummary = Pick<Ticket, 'id' | 'title' | 'status' | 'priority' | 'requester' | 'assignee' | 'updatedAt'> & {
  commentCount: number;
};

/** What to search for. Every field given must match. */
export interface TicketQuery {
  /** Words that must all occur in the title or body (case-insensitive). */
  text?: string;
  status?: TicketStatus;
  assignee?: string;
  /** Most hits returned, most recently updated first. */
  limit: number;
}

/** Per-call options every backend method takes. */
export interface BackendCallOptions {
  /** Fires when the agent run is aborted or the tool times out; pass it to any I/O. */
  signal?: AbortSignal;
}

/**
 * The ticket system the skill works on. Implement it over your real system's API; `InMemoryTickets` implements it
 * for tests and demos. Methods throw `TicketsError` (kind `not_found`, `already_closed`, `unavailable`) and
 * `AbortedError` from `@claw/core` when the signal fires.
 */
export interface TicketsBackend {
  search(query: TicketQuery, options?: BackendCallOptions): Promise<TicketSummary[]>;
  read(id: string, options?: BackendCallOptions): Promise<Ticket>;
  comment(id: string, comment: { author: string; body: string }, options?: BackendCallOptions): Promise<TicketComment>;
  close(id: string, close: { closedBy: string; resolution: string }, options?: BackendCallOptions): Promise<Ticket>;
}

/** True for an object with the four backend methods (the skill's config check). */
export function isTicketsBackend(value: unknown): value is TicketsBackend {
  if (value === null || typeof value !== 'object') return false;
  const backend = value as Record<string, unknown>;
  return ['search', 'read', 'comment', 'close'].every((method) => typeof backend[method] === 'function');
}
