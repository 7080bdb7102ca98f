import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import type { MailFolder } from '../mailbox/mailbox';
import type { EmailToolkit } from '../skill/email-toolkit';

/** `email_list_folders`: the folders of the mailbox with message counts; what email_move and email_search accept. */
export function listFoldersTool(kit: EmailToolkit): Tool {
  return defineTool({
    name: 'email_list_folders',
    description: 'List the mail folders (path, special use such as drafts or sent, message and unread counts), and the configured triage categories.',
    input: z.object({}),
    scopes: ['email:read'],
    effect: 'read',
    async execute(_input, ctx): Promise<{ folders: MailFolder[]; categories: { name: string; folder?: string; priority: string; description: string }[] }> {
      return {
        folders: await kit.mailbox.listFolders({ signal: ctx.signal }),
        categories: kit.config.categories.map((c) => ({
          name: c.name,
          ...(c.folder ? { folder: c.folder } : {}),
          priority: c.priority,
          description: c.description,
        })),
      };
    },
  });
}
