import { defineTool, type Tool, type ToolPreview } from '@claw/core';
import { z } from 'zod';
import { MailboxError } from '../errors';
import { parseAddresses } from '../mailbox/compose-message';
import type { MailMessage } from '../mailbox/mailbox';
import { parseMessageId } from '../mailbox/message-id';
import type { EmailToolkit } from '../skill/email-toolkit';
import { showAddress } from '../skill/present';
import { externalRecipients } from '../skill/recipients';
import { messageIdInput, recipientsInput } from './tool-inputs';

const input = z
  .object({
    draftId: messageIdInput.optional().describe('Send this saved draft exactly as stored (from email_draft_reply); repeat its to, cc and bcc'),
    to: recipientsInput.optional().describe('Recipients: of a new message, or of the draft exactly as email_draft_reply returned them'),
    cc: recipientsInput.optional().describe('Cc recipients (with a draft: exactly the draft\'s)'),
    bcc: recipientsInput.optional().describe('Bcc recipients of the draft, when it has any (only with draftId)'),
    subject: z.string().max(998).optional(),
    body: z.string().max(100_000).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.draftId !== undefined) {
      if (value.subject !== undefined || value.body !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'give either draftId (to send a saved draft) or subject and body (to send a new message), not both' });
      } else if (!value.to?.length) {
        ctx.addIssue({ code: 'custom', message: 'with draftId, repeat the draft\'s recipients in to (and cc, bcc): they are what a person approves' });
      }
    } else if (value.bcc !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'bcc is only for repeating the recipients of a draft; a new message has to and cc' });
    } else if (!(value.to?.length && value.subject !== undefined && value.body !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give draftId with its recipients, or to, subject and body' });
    }
  });

type SendInput = z.infer<typeof input>;

/** What would leave the mailbox: the exact recipients and content a person approves. */
interface Outgoing {
  draftId?: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
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
    requireSameRecipients(args, draft);
    return {
      draftId: args.draftId,
      from: draft.from.map(showAddress).join(', '),
      to: draft.to.map(showAddress),
      cc: draft.cc.map(showAddress),
      bcc: draft.bcc.map(showAddress),
      subject: draft.subject,
      body: draft.text,
      externalRecipients: externalRecipients([...draft.to, ...draft.cc, ...draft.bcc].map((a) => a.address), config.internalDomains),
    };
  }
  const recipients = parseAddresses([...(args.to ?? []), ...(args.cc ?? [])]);
  return {
    from: showAddress(mailbox.address),
    to: parseAddresses(args.to ?? []).map(showAddress),
    cc: parseAddresses(args.cc ?? []).map(showAddress),
    bcc: [],
    subject: args.subject ?? '',
    body: args.body ?? '',
    externalRecipients: externalRecipients(recipients.map((a) => a.address), config.internalDomains),
  };
}

/**
 * A draft is sent to the addresses stored in it, which the model did not write: it must repeat them, so they are
 * part of the input a person approves and that is checked for untrusted influence (a reply-all that picked up an
 * outside Cc, a Bcc in a message moved into Drafts).
 * @throws MailboxError `invalid-message` naming the draft's real recipients when the input differs from them.
 */
function requireSameRecipients(args: SendInput, draft: MailMessage): void {
  const key = (list: readonly string[]) => [...new Set(parseAddresses(list).map((a) => a.address.toLowerCase()))].sort().join(',');
  const stored = (list: readonly { address: string }[]) => [...new Set(list.map((a) => a.address.toLowerCase()))].sort().join(',');
  const fields = [
    ['to', args.to ?? [], draft.to],
    ['cc', args.cc ?? [], draft.cc],
    ['bcc', args.bcc ?? [], draft.bcc],
  ] as const;
  const differs = fields.filter(([, given, actual]) => key(given) !== stored(actual));
  if (differs.length > 0) {
    const real = fields.map(([name, , actual]) => `${name}: ${actual.length ? actual.map(showAddress).join(', ') : '(none)'}`).join('; ');
    throw new MailboxError(
      'invalid-message',
      `The recipients given for draft "${args.draftId}" differ from the draft's own (${differs.map(([name]) => name).join(', ')}). The draft would go to ${real}. Repeat exactly these in to, cc and bcc, or write a new draft.`,
    );
  }
}

function describeOutgoing(out: Outgoing, internalDomains: readonly string[]): ToolPreview {
  const who = `${out.to.join(', ')}${out.cc.length > 0 ? ` (cc ${out.cc.join(', ')})` : ''}${out.bcc.length > 0 ? ` (bcc ${out.bcc.join(', ')})` : ''}`;
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
      'Send email: either a saved draft (draftId from email_draft_reply, with its to, cc and bcc repeated exactly) or a new message (to, subject, body). A person must approve every send. Only send when the user asked for it.',
    input,
    scopes: ['email:send'],
    effect: 'external',
    // Recipients (also a draft's, which the input repeats) are checked for untrusted influence, and so are the links
    // in a new message's body: the text may quote what it answers, but a link only an email named is phishing's way.
    sensitiveInputs: ['to', 'cc', 'bcc'],
    linkInputs: ['body'],
    async preview(args, ctx) {
      return describeOutgoing(await resolveOutgoing(kit, args, ctx.signal), kit.config.internalDomains);
    },
    async execute(args, ctx) {
      const { mailbox, config } = kit;
      // The draft's recipients are checked again right before it leaves: exactly what was approved goes out.
      if (args.draftId !== undefined) await resolveOutgoing(kit, args, ctx.signal);
      const sent =
        args.draftId !== undefined
          ? await mailbox.sendDraft(args.draftId, { signal: ctx.signal })
          : await mailbox.send({ to: args.to ?? [], ...(args.cc ? { cc: args.cc } : {}), subject: args.subject ?? '', text: args.body ?? '' }, { signal: ctx.signal });
      return { ...sent, externalRecipients: externalRecipients(sent.accepted, config.internalDomains) };
    },
  });
}
