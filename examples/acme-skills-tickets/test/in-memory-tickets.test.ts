import { AbortedError, ClawError } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { InMemoryTickets, TicketsError, isTicketsBackend } from '../src/index.js';
import { NOW, seededTickets } from './fixtures.js';

describe('InMemoryTickets', () => {
  it('searches by words in title or body, status and assignee, most recently updated first', async () => {
    const tickets = seededTickets();
    expect((await tickets.search({ limit: 10 })).map((t) => t.id)).toEqual(['T-45', 'T-42', 'T-43', 'T-41', 'T-44']);
    expect((await tickets.search({ text: 'SAFARI pay', limit: 10 })).map((t) => t.id)).toEqual(['T-42']);
    expect((await tickets.search({ status: 'open', assignee: 'sam@acme.example', limit: 10 })).map((t) => t.id)).toEqual(['T-42']);
    expect((await tickets.search({ limit: 2 })).map((t) => t.id)).toEqual(['T-45', 'T-42']);
    expect(await tickets.search({ text: 'kubernetes', limit: 10 })).toEqual([]);
  });

  it('returns summaries without the conversation', async () => {
    const [hit] = await seededTickets().search({ text: 'safari', limit: 1 });
    expect(hit).toEqual({
      id: 'T-42',
      title: 'Checkout fails on Safari',
      status: 'open',
      priority: 'high',
      requester: 'ola@customer.example',
      assignee: 'sam@acme.example',
      updatedAt: NOW - 3_600_000,
      commentCount: 1,
    });
  });

  it('reads copies: changing what read returned does not change the ticket', async () => {
    const tickets = seededTickets();
    const ticket = await tickets.read('T-42');
    ticket.status = 'closed';
    ticket.comments.length = 0;
    expect(await tickets.read('T-42')).toMatchObject({ status: 'open', comments: [{ id: 'c0' }] });
  });

  it('adds internal comments and closes with a resolution', async () => {
    const tickets = seededTickets();
    const comment = await tickets.comment('T-42', { author: 'priya', body: 'Fix is in 4.2.' });
    expect(comment).toEqual({ id: 'c1', author: 'priya', body: 'Fix is in 4.2.', visibility: 'internal', at: NOW });
    const closed = await tickets.close('T-42', { closedBy: 'priya', resolution: 'Fixed in 4.2.' });
    expect(closed).toMatchObject({ status: 'closed', resolution: 'Fixed in 4.2.', updatedAt: NOW });
    expect(closed.comments.map((c) => c.body)).toEqual(['Still broken this morning.', 'Fix is in 4.2.', 'Closed: Fixed in 4.2.']);
  });

  it('refuses unknown ids and closing twice with TicketsError (code EXTERNAL_SERVICE)', async () => {
    const tickets = seededTickets();
    const unknown = await tickets.read('T-99').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TicketsError);
    expect(unknown).toMatchObject({ kind: 'not_found', code: 'EXTERNAL_SERVICE', ticketId: 'T-99' });
    expect((unknown as Error).message).toContain('ticket_search');
    const twice = await tickets.close('T-44', { closedBy: 'priya', resolution: 'again' }).catch((e: unknown) => e);
    expect(twice).toMatchObject({ kind: 'already_closed' });
    expect(twice).toBeInstanceOf(ClawError);
    expect((await tickets.read('T-44')).resolution).toBe('Shipped in 2.3.');
  });

  it('throws AbortedError when the signal has fired, and changes nothing', async () => {
    const tickets = seededTickets();
    const controller = new AbortController();
    controller.abort();
    await expect(tickets.comment('T-42', { author: 'priya', body: 'x' }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    expect((await tickets.read('T-42')).comments).toHaveLength(1);
  });

  it('is recognised as a backend; other objects are not', () => {
    expect(isTicketsBackend(new InMemoryTickets())).toBe(true);
    expect(isTicketsBackend({ search() {}, read() {} })).toBe(false);
    expect(isTicketsBackend(null)).toBe(false);
  });
});
