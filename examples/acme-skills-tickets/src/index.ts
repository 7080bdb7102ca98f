/**
 * @acme/skills-tickets — a Claw skill for Acme's ticket system: search, read, comment on and close tickets.
 * @packageDocumentation
 */
export { ticketsSkill, ticketsConfigSchema, TICKETS_SCOPES, type TicketsSkillConfig } from './tickets-skill.js';
export {
  isTicketsBackend,
  type TicketsBackend,
  type Ticket,
  type TicketComment,
  type TicketSummary,
  type TicketQuery,
  type TicketStatus,
  type TicketPriority,
  type BackendCallOptions,
} from './tickets-backend.js';
export { InMemoryTickets, type TicketSeed, type InMemoryTicketsOptions } from './in-memory-tickets.js';
export { TicketsError, type TicketsErrorKind } from './tickets-error.js';
