import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import { MailboxError } from '../errors';
import type { MovedMessage } from '../mailbox/mailbox';
import type { EmailToolkit } from '../skill/email-toolkit';
import { countMessages, listSubjects } from '../skill/present';
import { folderInput, messageIdsInput } from './tool-inputs';

const input = z.object({ ids: messageIdsInput, folder: folderInput });

async function requireFolder(kit: EmailToolkit, folder: string, signal: AbortSignal): Promise<void> {
  const folders = await kit.folders({ signal });
  if (!folders.some((f) => f.path === folder)) {
    throw new MailboxError('folder-not-found', `Folder "${folder}" does not exist. Existing folders: ${folders.map((f) => f.path).join(', ')}.`);
  }
}

/** `email_move`: moves messages to a folder; previews list what would move. New ids come back. */
export function moveTool(kit: EmailToolkit): Tool {
  return defineTool({
    name: 'email_move',
    description:
      'Move messages to another folder (use email_list_folders for valid folders). Moved messages get new ids, which are returned; old ids stop working.',
    input,
    scopes: ['email:organize'],
    effect: 'write',
    async preview(args, ctx) {
      await requireFolder(kit, args.folder, ctx.signal);
      const summaries = await kit.mailbox.summaries(args.ids, { signal: ctx.signal });
      const moving = summaries.filter((s) => s.folder !== args.folder);
      return {
        summary:
          moving.length === 0
            ? `Nothing to move: ${summaries.length === 1 ? 'the message is' : 'all messages are'} already in ${args.folder}.`
            : `would move ${countMessages(moving.length)} to ${args.folder}: ${listSubjects(moving)}`,
        details: { folder: args.folder, messages: summaries.map((s) => ({ id: s.id, from: s.folder, subject: s.subject })) },
      };
    },
    async execute(args, ctx): Promise<{ folder: string; moved: MovedMessage[] }> {
      return { folder: args.folder, moved: await kit.mailbox.move(args.ids, args.folder, { signal: ctx.signal }) };
    },
  });
}
