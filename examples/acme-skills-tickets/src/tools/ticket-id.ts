import { z } from 'zod';

/** A ticket id as the model must write it. The pattern keeps anything but an id out of backend calls. */
export const ticketIdInput = z.string().regex(/^T-\d{1,9}$/, 'a ticket id such as T-42').describe('Ticket id, e.g. T-42');
