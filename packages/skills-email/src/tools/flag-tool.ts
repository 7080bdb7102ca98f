import { defineTool, InvalidArgumentError, type Tool } from '@claw/core';
import { z } from 'zod';
import type { FlagChange } from '../mailbox/mailbox';
import type { EmailToolkit } from '../skill/email-toolkit';
import { countMessages, listSubjects } from '../skill/present';
import { labelInput, messageIdsInput } from './tool-inputs';

const input = z.object({
  ids: messageIdsInput,
  read: z.boolean().optional().describe('true marks as read, false as unread'),
  flagged: z.boolean().optional().describe('true flags (stars) the messages, false removes the flag'),
  addLabels: z.array(labelInput).max(10).optional(),
  removeLabels: z.array(labelInput).max(10).optional(),
});

type FlagInput = z.infer<typeof input>;

/** Turns the tool's friendly fields into IMAP flags and keywords. */
export function toFlagChange(args: FlagInput): FlagChange {
  const add: string[] = [...(args.addLabels ?? [])];
  const remove: string[] = [...(args.removeLabels ?? [])];
  if (args.read !== undefined) (args.read ? add : remove).push('\\Seen');
  if (args.flagged !== undefined) (args.flagged ? add : remove).push('\\Flagged');
  if (add.length + remove.length === 0) {
    throw new InvalidArgumentError('Say what to change: read, flagged, addLabels or removeLabels.');
  }
  return { add, remove };
}

function describeChange(args: FlagInput): string {
  const parts: string[] = [];
  if (args.read !== undefined) parts.push(args.read ? 'mark as read' : 'mark as unread');
  if (args.flagged !== undefined) parts.push(args.flagged ? 'flag' : 'unflag');
  if (args.addLabels?.length) parts.push(`add label${args.addLabels.length > 1 ? 's' : ''} ${args.addLabels.join(', ')}`);
  if (args.removeLabels?.length) parts.push(`remove label${args.removeLabels.length > 1 ? 's' : ''} ${args.removeLabels.join(', ')}`);
  return parts.join(' and ');
}

/** `email_flag`: marks messages read/unread, flagged/unflagged, and adds or removes labels (IMAP keywords). */
export function flagTool(kit: EmailToolkit): Tool {
  return defineTool({
    name: 'email_flag',
    description: 'Mark messages as read or unread, flag or unflag them, and add or remove labels.',
    input,
    scopes: ['email:organize'],
    effect: 'write',
    async preview(args, ctx) {
      const change = toFlagChange(args);
      const summaries = await kit.mailbox.summaries(args.ids, { signal: ctx.signal });
      return {
        summary: `would ${describeChange(args)} on ${countMessages(summaries.length)}: ${listSubjects(summaries)}`,
        details: { ...change, messages: summaries.map((s) => ({ id: s.id, subject: s.subject, flags: s.flags })) },
      };
    },
    async execute(args, ctx): Promise<{ updated: number; added: string[]; removed: string[] }> {
      const change = toFlagChange(args);
      await kit.mailbox.setFlags(args.ids, change, { signal: ctx.signal });
      return { updated: args.ids.length, added: change.add ?? [], removed: change.remove ?? [] };
    },
  });
}
