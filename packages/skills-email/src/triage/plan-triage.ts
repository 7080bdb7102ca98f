import { InvalidArgumentError } from '@claw/core';
import type { MessageSummary } from '../mailbox/mailbox';
import { PRIORITIES, type Priority } from '../skill/email-config';
import type { EmailToolkit } from '../skill/email-toolkit';
import { countMessages, listSubjects, showAddress } from '../skill/present';
import { firstMatchingRule } from './match-rule';

/** The model's own classification of one message, with its reason. */
export interface ModelClassification {
  id: string;
  category: string;
  priority?: Priority;
  reason: string;
}

/** What to triage: a folder's newest messages (or exactly `ids`), plus the model's classifications. */
export interface TriageRequest {
  folder: string;
  limit: number;
  unreadOnly: boolean;
  ids?: string[];
  classifications: ModelClassification[];
}

/** The decision for one message and the reason for it. */
export interface TriageItem {
  id: string;
  subject: string;
  from: string;
  category: string | null;
  priority: Priority | null;
  /** `rule`: a configured rule decided; `model`: the model's classification; `none`: neither, left alone. */
  source: 'rule' | 'model' | 'none';
  reason: string;
  /** The model's classification when a rule overrode it. */
  overriddenModel?: { category: string; reason: string };
  /** Folder the message will move to, when its category has one and it is elsewhere. */
  moveTo?: string;
  /** Flags and keywords to add. */
  addFlags: string[];
}

/** Everything one triage would do, computed without changing anything. */
export interface TriagePlan {
  folder: string;
  /** Messages matching in the folder; `items` holds the examined ones. */
  total: number;
  items: TriageItem[];
  /** Category folders that do not exist yet. */
  missingFolders: string[];
}

/** The keyword a priority is stored as; `urgent` and `high` also get `\Flagged`. */
export function priorityKeyword(priority: Priority): string {
  return `claw-priority-${priority}`;
}

function flagsFor(priority: Priority): string[] {
  return priority === 'urgent' || priority === 'high' ? ['\\Flagged', priorityKeyword(priority)] : [priorityKeyword(priority)];
}

/**
 * Works out the category, priority and actions for each message: the first matching rule wins, then the model's
 * classification, else the message is left alone. Reads only.
 * @throws InvalidArgumentError for a classification naming an unknown category or a message outside the batch's folder.
 */
export async function planTriage(kit: EmailToolkit, request: TriageRequest, signal?: AbortSignal): Promise<TriagePlan> {
  const { mailbox, config } = kit;
  const byId = new Map<string, ModelClassification>();
  for (const c of request.classifications) {
    kit.category(c.category);
    if (c.priority !== undefined && !PRIORITIES.includes(c.priority)) throw new InvalidArgumentError(`Priority must be one of ${PRIORITIES.join(', ')}.`);
    byId.set(c.id, c);
  }
  let summaries: MessageSummary[];
  let total: number;
  if (request.ids) {
    summaries = await mailbox.summaries(request.ids, { signal });
    total = summaries.length;
  } else {
    const found = await mailbox.search({ folder: request.folder, limit: request.limit, ...(request.unreadOnly ? { unseen: true } : {}) }, { signal });
    const extra = [...byId.keys()].filter((id) => !found.messages.some((m) => m.id === id));
    summaries = [...found.messages, ...(extra.length > 0 ? await mailbox.summaries(extra, { signal }) : [])];
    total = found.total;
  }
  const outside = summaries.find((s) => !request.ids && s.folder !== request.folder);
  if (outside) throw new InvalidArgumentError(`Message ${outside.id} is not in ${request.folder}; triage one folder at a time.`);

  const folders = new Set((await kit.folders({ signal })).map((f) => f.path));
  const missing = new Set<string>();
  const items = summaries.map((summary): TriageItem => {
    const base = { id: summary.id, subject: summary.subject, from: summary.from.map(showAddress).join(', ') };
    const matched = firstMatchingRule(config.rules, summary);
    const model = byId.get(summary.id);
    let category: string;
    let priority: Priority;
    let item: Pick<TriageItem, 'source' | 'reason' | 'overriddenModel'>;
    if (matched) {
      const c = kit.category(matched.rule.category);
      category = c.name;
      priority = matched.rule.priority ?? c.priority;
      item = {
        source: 'rule',
        reason: `rule "${matched.rule.name}": ${matched.why}`,
        ...(model && kit.category(model.category).name !== c.name ? { overriddenModel: { category: kit.category(model.category).name, reason: model.reason } } : {}),
      };
    } else if (model) {
      const c = kit.category(model.category);
      category = c.name;
      priority = model.priority ?? c.priority;
      item = { source: 'model', reason: model.reason };
    } else {
      return { ...base, category: null, priority: null, source: 'none', reason: 'no rule matched and the model gave no classification', addFlags: [] };
    }
    const target = kit.category(category).folder;
    if (target && !folders.has(target)) missing.add(target);
    const present = new Set(summary.flags);
    return {
      ...base,
      category,
      priority,
      ...item,
      ...(target && target !== summary.folder ? { moveTo: target } : {}),
      addFlags: flagsFor(priority).filter((f) => !present.has(f)),
    };
  });
  return { folder: request.folder, total, items, missingFolders: [...missing] };
}

/** The one-paragraph summary of a plan used as the preview, e.g. "would move 3 messages to Newsletters: …". */
export function describeTriagePlan(plan: TriagePlan, createMissingFolders: boolean): string {
  const parts: string[] = [];
  const moves = new Map<string, TriageItem[]>();
  for (const item of plan.items) if (item.moveTo) moves.set(item.moveTo, [...(moves.get(item.moveTo) ?? []), item]);
  for (const [folder, items] of moves) parts.push(`move ${countMessages(items.length)} to ${folder}: ${listSubjects(items)}`);
  const flagged = plan.items.filter((i) => i.addFlags.includes('\\Flagged'));
  if (flagged.length > 0) parts.push(`flag ${countMessages(flagged.length)} as ${[...new Set(flagged.map((i) => i.priority))].join('/')}: ${listSubjects(flagged)}`);
  const untouched = plan.items.filter((i) => i.source === 'none');
  if (untouched.length > 0) parts.push(`leave ${countMessages(untouched.length)} unclassified`);
  const folders = plan.missingFolders.length > 0 ? ` (${createMissingFolders ? 'creating' : 'missing, so failing on'} folder${plan.missingFolders.length > 1 ? 's' : ''} ${plan.missingFolders.join(', ')})` : '';
  const head = `Triage of ${countMessages(plan.items.length)} in ${plan.folder}${plan.total > plan.items.length ? ` (of ${plan.total})` : ''}`;
  return parts.length === 0 ? `${head}: nothing to change.` : `${head} would ${parts.join('; ')}${folders}.`;
}
