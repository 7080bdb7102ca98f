import { MailboxError } from '../errors';
import type { EmailToolkit } from '../skill/email-toolkit';
import type { TriageItem, TriagePlan } from './plan-triage';

/** What a triage did, message by message. */
export interface TriageOutcome {
  folder: string;
  examined: number;
  /** Messages moved, per destination folder. */
  moved: Record<string, number>;
  createdFolders: string[];
  items: (Omit<TriageItem, 'moveTo' | 'addFlags'> & { action: string; newId?: string })[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/**
 * Carries out a plan: creates missing category folders (when allowed), adds priority flags while the messages
 * are still where they were, then moves them. Flags go first because a move gives a message a new id.
 * @throws MailboxError (`folder-not-found`) when a category folder is missing and creating folders is off.
 */
export async function applyTriage(kit: EmailToolkit, plan: TriagePlan, signal?: AbortSignal): Promise<TriageOutcome> {
  const { mailbox, config } = kit;
  if (plan.missingFolders.length > 0 && !config.createMissingFolders) {
    throw new MailboxError(
      'folder-not-found',
      `Category folder(s) ${plan.missingFolders.join(', ')} do not exist and creating folders is turned off. Create them, or set createMissingFolders.`,
    );
  }
  for (const folder of plan.missingFolders) await mailbox.createFolder(folder, { signal });

  for (const [flags, items] of groupBy(plan.items, (i) => (i.addFlags.length > 0 ? i.addFlags.join(' ') : undefined))) {
    await mailbox.setFlags(items.map((i) => i.id), { add: flags.split(' ') }, { signal });
  }
  const newIds = new Map<string, string | undefined>();
  const moved: Record<string, number> = {};
  for (const [folder, items] of groupBy(plan.items, (i) => i.moveTo)) {
    for (const m of await mailbox.move(items.map((i) => i.id), folder, { signal })) newIds.set(m.from, m.to);
    moved[folder] = items.length;
  }
  return {
    folder: plan.folder,
    examined: plan.items.length,
    moved,
    createdFolders: plan.missingFolders,
    items: plan.items.map(({ moveTo, addFlags, ...item }) => {
      const action = [moveTo ? `moved to ${moveTo}` : '', addFlags.length > 0 ? `flagged ${addFlags.join(' ')}` : ''].filter(Boolean).join(', ') || 'left as it was';
      const newId = newIds.get(item.id);
      return { ...item, action, ...(newId ? { newId } : {}) };
    }),
  };
}
