import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import type { EmailToolkit } from '../skill/email-toolkit';
import { presentSummary, type MessageView } from '../skill/present';
import { dayInput } from './tool-inputs';

/** What `email_search` returns: newest first. */
export interface SearchOutput {
  folder: string;
  total: number;
  messages: MessageView[];
}

/** `email_search`: finds messages by sender, subject, text, state and date; headers only, newest first. */
export function searchTool(kit: EmailToolkit): Tool {
  return defineTool({
    name: 'email_search',
    description:
      'Search one mail folder (INBOX unless given). All criteria must match; text criteria are case-insensitive. Returns the newest matches first with ids, senders, subjects, dates and read/flagged state (no bodies: use email_read), and the total number of matches.',
    input: z.object({
      folder: z.string().trim().min(1).max(200).optional().describe('Folder to search; INBOX when omitted'),
      text: z.string().trim().min(1).max(200).optional().describe('Words anywhere in the headers or body'),
      from: z.string().trim().min(1).max(200).optional().describe('Part of the sender name or address'),
      to: z.string().trim().min(1).max(200).optional(),
      subject: z.string().trim().min(1).max(200).optional(),
      unreadOnly: z.boolean().optional(),
      flaggedOnly: z.boolean().optional(),
      since: dayInput.optional().describe('Messages dated on or after this day (YYYY-MM-DD)'),
      before: dayInput.optional().describe('Messages dated before this day (YYYY-MM-DD)'),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    scopes: ['email:read'],
    effect: 'read',
    untrustedOutput: true,
    async execute(input, ctx): Promise<SearchOutput> {
      const folder = input.folder ?? 'INBOX';
      const result = await kit.mailbox.search(
        {
          folder,
          limit: input.limit,
          ...(input.text !== undefined ? { text: input.text } : {}),
          ...(input.from !== undefined ? { from: input.from } : {}),
          ...(input.to !== undefined ? { to: input.to } : {}),
          ...(input.subject !== undefined ? { subject: input.subject } : {}),
          ...(input.unreadOnly ? { unseen: true } : {}),
          ...(input.flaggedOnly ? { flagged: true } : {}),
          ...(input.since !== undefined ? { since: new Date(`${input.since}T00:00:00Z`) } : {}),
          ...(input.before !== undefined ? { before: new Date(`${input.before}T00:00:00Z`) } : {}),
        },
        { signal: ctx.signal },
      );
      return { folder, total: result.total, messages: result.messages.map(presentSummary) };
    },
  });
}
