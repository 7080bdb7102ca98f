import { defineTool, type Tool } from '@claw/core';
import { z } from 'zod';
import { PRIORITIES } from '../skill/email-config';
import type { EmailToolkit } from '../skill/email-toolkit';
import { applyTriage, type TriageOutcome } from '../triage/apply-triage';
import { describeTriagePlan, planTriage, type TriageRequest } from '../triage/plan-triage';
import { messageIdInput, messageIdsInput } from './tool-inputs';

const input = z.object({
  folder: z.string().trim().min(1).max(200).optional().describe('Folder to triage; INBOX when omitted'),
  ids: messageIdsInput.optional().describe('Triage exactly these messages instead of the newest in the folder'),
  limit: z.number().int().min(1).max(200).optional().describe('How many of the newest messages to examine (default from the configuration)'),
  unreadOnly: z.boolean().default(false),
  classifications: z
    .array(
      z.object({
        id: messageIdInput,
        category: z.string().trim().min(1).max(64).describe('One of the configured categories'),
        priority: z.enum(PRIORITIES).optional(),
        reason: z.string().trim().min(3).max(300).describe('Why, in one sentence, for the triage report'),
      }),
    )
    .max(200)
    .default([])
    .describe('Your classification of messages no rule covers; configured rules take precedence'),
});

function toRequest(kit: EmailToolkit, args: z.infer<typeof input>): TriageRequest {
  return {
    folder: args.folder ?? 'INBOX',
    limit: args.limit ?? kit.config.triageLimit,
    unreadOnly: args.unreadOnly,
    ...(args.ids ? { ids: args.ids } : {}),
    classifications: args.classifications,
  };
}

/**
 * `email_triage`: classifies a batch into the configured categories and priorities (configured rules first,
 * then the model's classifications with their reasons), then flags and moves the messages accordingly. The
 * preview lists every move; the output reports, per message, the category, priority, who decided and why.
 * Without `ids` the batch is the folder's newest messages when the call runs.
 */
export function triageTool(kit: EmailToolkit): Tool {
  return defineTool({
    name: 'email_triage',
    description:
      'Triage a folder (INBOX by default): each message gets a configured category and a priority, by the configured rules first, otherwise by your classifications (give a reason for each). Messages are flagged by priority and moved to their category folder. Returns, per message, the category, priority, source (rule or model) and reason.',
    input,
    scopes: ['email:read', 'email:organize'],
    effect: 'write',
    untrustedOutput: true,
    async preview(args, ctx) {
      const plan = await planTriage(kit, toRequest(kit, args), ctx.signal);
      return {
        summary: describeTriagePlan(plan, kit.config.createMissingFolders),
        details: plan,
      };
    },
    async execute(args, ctx): Promise<TriageOutcome> {
      const plan = await planTriage(kit, toRequest(kit, args), ctx.signal);
      return applyTriage(kit, plan, ctx.signal);
    },
  });
}
