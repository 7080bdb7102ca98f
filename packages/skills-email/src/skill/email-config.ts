import { z } from 'zod';
import { SUMMARY_HEADERS, type Mailbox } from '../mailbox/mailbox';

/** How urgent a message is, from `urgent` (flagged, act today) to `low`. */
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

/** One of {@link PRIORITIES}. */
export type Priority = (typeof PRIORITIES)[number];

const priority = z.enum(PRIORITIES);

function isMailbox(value: unknown): value is Mailbox {
  const m = value as Partial<Mailbox> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    ['listFolders', 'search', 'summaries', 'fetch', 'move', 'setFlags', 'saveDraft', 'send', 'sendDraft'].every(
      (method) => typeof (m as Record<string, unknown>)[method] === 'function',
    )
  );
}

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain such as "acme.example"')
  .transform((d) => d.replace(/^@/, ''));

/** A triage category: where its mail goes and how urgent it is unless a rule says otherwise. */
export const categorySchema = z.object({
  name: z.string().trim().min(1).max(64),
  description: z.string().max(500).default(''),
  /** Folder its messages are moved to; without one they stay where they are and only get a priority. */
  folder: z.string().trim().min(1).max(200).optional(),
  priority: priority.default('normal'),
});

/**
 * A deterministic triage rule. Every condition given must hold; inside a list any entry may match.
 * The first matching rule decides a message's category, before any classification by the model.
 */
export const triageRuleSchema = z.object({
  name: z.string().trim().min(1).max(100),
  category: z.string().trim().min(1),
  priority: priority.optional(),
  /** Sender addresses (`news@x.example`) or domains (`x.example`, `@x.example`, matching subdomains too). */
  from: z.array(z.string().trim().toLowerCase().min(1)).min(1).optional(),
  /** Case-insensitive pieces of the subject. */
  subjectContains: z.array(z.string().trim().min(1)).min(1).optional(),
  /** Headers that must be present, e.g. `list-unsubscribe` for mailing lists. */
  hasHeader: z.array(z.enum(SUMMARY_HEADERS)).min(1).optional(),
});

/** Configuration of {@link emailSkill}. */
export const emailConfigSchema = z
  .object({
    /** The account the tools work on: an `ImapSmtpMailbox`, an `InMemoryMailbox` or your own `Mailbox`. */
    mailbox: z.custom<Mailbox>(isMailbox, 'a Mailbox (ImapSmtpMailbox, InMemoryMailbox or another implementation)'),
    /** The organisation's own domains; recipients outside them are flagged on every send preview. */
    internalDomains: z.array(domain).default([]),
    categories: z.array(categorySchema).default([]),
    rules: z.array(triageRuleSchema).default([]),
    /** Attachments larger than this (bytes) are summarised (name, type, size), never inlined. Default 256 KB. */
    attachmentSizeLimit: z.number().int().positive().default(256 * 1024),
    /** Message bodies are cut to this many characters before they reach the model. Default 20,000. */
    maxBodyChars: z.number().int().min(200).default(20_000),
    /** Most messages one email_triage call examines. Default 50. */
    triageLimit: z.number().int().min(1).max(200).default(50),
    /** Let email_triage create category folders that do not exist yet. Default true. */
    createMissingFolders: z.boolean().default(true),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.categories.forEach((category, i) => {
      const key = category.name.toLowerCase();
      if (names.has(key)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'name'], message: `category "${category.name}" is defined twice` });
      names.add(key);
    });
    config.rules.forEach((rule, i) => {
      if (!names.has(rule.category.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'category'], message: `rule "${rule.name}" names category "${rule.category}", which is not in categories` });
      }
      if (!rule.from && !rule.subjectContains && !rule.hasHeader) {
        ctx.addIssue({ code: 'custom', path: ['rules', i], message: `rule "${rule.name}" has no condition (from, subjectContains or hasHeader)` });
      }
    });
  });

/** The configuration as given to `emailSkill.configure` (defaults optional). */
export type EmailSkillConfigInput = z.input<typeof emailConfigSchema>;
/** The validated configuration the tools see. */
export type EmailSkillConfig = z.output<typeof emailConfigSchema>;
/** A triage category after validation. */
export type TriageCategory = z.output<typeof categorySchema>;
/** A triage rule after validation. */
export type TriageRule = z.output<typeof triageRuleSchema>;
