import { defineTool, type Tool, type ToolPreview } from '@claw/core';
import { z } from 'zod';
import { MailboxError } from '../errors';
import { parseAddresses } from '../mailbox/compose-message';
import { parseMessageId } from '../mailbox/message-id';
import type { EmailToolkit } from '../skill/email-toolkit';
import { showAddress } from '../skill/present';
import { externalRecipients } from '../skill/recipients';
import { messageIdInput, recipientsInput } from './tool-inputs';

const input = z
  .object({
    draftId: messageIdInput.optional().describe('Send this saved draft exactly as stored (from email_draft_reply)'),
    to: recipientsInput.optional().describe('Recipients of a new message (when not sending a draft)'),
    cc: recipientsInput.optional(),
    subject: z.string().max(998).optional(),
    body: z.string().max(100_000).optional(),
  })
  .superRefine((value, ctx) => {
    const composing = value.to !== undefined || value.cc !== undefined || value.subject !== undefined || value.body !== undefined;
    if (value.draftId !== undefined && composing) {
      ctx.addIssue({ code: 'custom', message: 'give either draftId (to send a saved draft) or to/subject/body (to send a new message), not both' });
    } else if (value.draftId === undefined && !(value.to?.length && value.subject !== undefined && value.body !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give draftId, or to, subject and body' });
    }
  });

type SendInput = z.infer<typeof input>;

/** What would leave the mailbox: the exact recipients and content a person approves. */
interface Outgoing {
  draftId?: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  externalRecipients: string[];
}

async function resolveOutgoing(kit: EmailToolkit, args: SendInput, signal: AbortSignal): Promise<Outgoing> {
  const { mailbox, config } = kit;
  if (args.draftId !== undefined) {
    const drafts = (await mailbox.listFolders({ signal })).find((f) => f.specialUse === 'drafts')?.path ?? 'Drafts';
    if (parseMessageId(args.draftId).folder !== drafts) {
      throw new MailboxError('invalid-message', `"${args.draftId}" is not in the ${drafts} folder, so it is not a draft. Save one with email_draft_reply first.`);
    }
    const draft = await mailbox.fetch(args.draftId, { signal });
    const to = draft.to.map(showAddress);
    const cc = draft.cc.map(showAddress);
    return {
      draftId: args.draftId,
      from: draft.from.map(showAddress).join(', '),
      to,
      cc,
      subject: draft.subject,
      body: draft.text,
      externalRecipients: externalRecipients([...draft.to, ...draft.cc].map((a) => a.address), config.internalDomains),
    };
  }
  const recipients = parseAddresses([...(args.to ?? []), ...(args.cc ?? [])]);
  return {
    from: showAddress(mailbox.address),
    to: parseAddresses(args.to ?? []).map(showAddress),
    cc: parseAddresses(args.cc ?? []).map(showAddress),
    subject: args.subject ?? '',
    body: args.body ?? '',
    externalRecipients: externalRecipients(recipients.map((a) => a.address), config.internalDomains),
  };
}

function describeOutgoing(out: Outgoing, internalDomains: readonly string[]): ToolPreview {
  const who = `${out.to.join(', ')}${out.cc.length > 0 ? ` (cc ${out.cc.join(', ')})` : ''}`;
  const warning =
    out.externalRecipients.length === 0
      ? ''
      : internalDomains.length === 0
        ? ` WARNING: no internal domains are configured, so every recipient counts as outside: ${out.externalRecipients.join(', ')}.`
        : ` WARNING: ${out.externalRecipients.length} recipient${out.externalRecipients.length > 1 ? 's' : ''} outside ${internalDomains.join(', ')}: ${out.externalRecipients.join(', ')}.`;
  return {
    summary: `would send ${out.draftId ? `draft ${out.draftId}` : 'a new message'} ${JSON.stringify(out.subject)} from ${out.from} to ${who}.${warning}`,
    details: { ...out, body: out.body.length > 5000 ? `${out.body.slice(0, 5000)}\n[… cut]` : out.body },
  };
}

/**
 * `email_send`: sends a saved draft (byte for byte) or a new message. Its effect is `external`, so it waits for a
 * person's approval by default; the preview shows exactly what would leave, and flags recipients outside the
 * internal domains.
 */
export function sendTool(kit: EmailToolkit): Tool {
  return defineTool({
    name: 'email_send',
    description:
      'Send email: either a saved draft (draftId from email_draft_reply) or a new message (to, subject, body). A person must approve every send. Only send when the user asked for it.',
    input,
    scopes: ['email:send'],
    effect: 'external',
    // Only the destination is checked for untrusted influence: the text may quote what it answers or summarises.
    sensitiveInputs: ['to', 'cc'],
    async preview(args, ctx) {
      return describeOutgoing(await resolveOutgoing(kit, args, ctx.signal), kit.config.internalDomains);
    },
    async execute(args, ctx) {
      const { mailbox, config } = kit;
      const sent =
        args.draftId !== undefined
          ? await mailbox.sendDraft(args.draftId, { signal: ctx.signal })
          : await mailbox.send({ to: args.to ?? [], ...(args.cc ? { cc: args.cc } : {}), subject: args.subject ?? '', text: args.body ?? '' }, { signal: ctx.signal });
      return { ...sent, externalRecipients: externalRecipients(sent.accepted, config.internalDomains) };
    },
  });
}
