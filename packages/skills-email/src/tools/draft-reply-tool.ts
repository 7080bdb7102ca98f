import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import { parseAddresses } from '../mailbox/compose-message';
import type { EmailToolkit } from '../skill/email-toolkit';
import { externalRecipients } from '../skill/recipients';
import { buildReply } from '../skill/reply';
import { messageIdInput, recipientsInput } from './tool-inputs';

const input = z.object({
  id: messageIdInput.describe('The message to reply to'),
  body: z.string().trim().min(1).max(20_000).describe('The reply text (the original is quoted below it automatically)'),
  replyAll: z.boolean().default(false).describe('Also address everyone else the original was sent to (in Cc)'),
  cc: recipientsInput.optional().describe('Extra Cc recipients'),
});

/** What `email_draft_reply` returns. */
export interface DraftReplyOutput {
  draftId: string;
  to: string[];
  cc: string[];
  subject: string;
  /** Recipients outside the configured internal domains. */
  externalRecipients: string[];
  note: string;
}

/**
 * `email_draft_reply`: writes a reply and saves it in the Drafts folder. It never sends: sending is email_send
 * with the returned draftId, which a person approves after seeing the draft.
 */
export function draftReplyTool(kit: EmailToolkit): Tool {
  const prepare = async (args: z.infer<typeof input>, signal: AbortSignal) => {
    const original = await kit.mailbox.fetch(args.id, { signal });
    const reply = buildReply(original, kit.mailbox.address, args.body, { replyAll: args.replyAll, cc: args.cc ?? [] });
    const recipients = parseAddresses([...reply.to, ...(reply.cc ?? [])]).map((a) => a.address);
    return { reply, external: externalRecipients(recipients, kit.config.internalDomains) };
  };
  return defineTool({
    name: 'email_draft_reply',
    description:
      'Write a reply to a message and save it as a draft in the Drafts folder. Nothing is sent; the user can review the draft, and email_send with the returned draftId sends it after approval.',
    input,
    scopes: ['email:draft'],
    effect: 'write',
    untrustedOutput: true,
    async preview(args, ctx) {
      const { reply, external } = await prepare(args, ctx.signal);
      return {
        summary: `would save a draft reply to ${[...reply.to, ...(reply.cc ?? [])].join(', ')}: ${JSON.stringify(reply.subject)} (nothing is sent)`,
        details: { to: reply.to, cc: reply.cc ?? [], subject: reply.subject, body: reply.text, externalRecipients: external },
      };
    },
    async execute(args, ctx): Promise<DraftReplyOutput> {
      const { reply, external } = await prepare(args, ctx.signal);
      const draft = await kit.mailbox.saveDraft(reply, { signal: ctx.signal });
      return {
        draftId: draft.id,
        to: reply.to,
        cc: reply.cc ?? [],
        subject: reply.subject,
        externalRecipients: external,
        note: `Saved in ${draft.folder}; nothing was sent. To send it, call email_send with this draftId and exactly these to and cc (a person approves it first).`,
      };
    },
  });
}
