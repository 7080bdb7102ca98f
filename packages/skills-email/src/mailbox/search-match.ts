import type { ParsedMail } from 'mailparser';
import type { MailSearchQuery } from './mailbox';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `YYYY-MM-DD` of a Date in UTC. */
function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The day of the Date header as written, ignoring time and zone (RFC 3501 SENTSINCE/SENTBEFORE semantics),
 * or the UTC day of `fallback` when the header is missing or unreadable.
 */
export function sentDay(parsed: ParsedMail, fallback: Date): string {
  const line = parsed.headerLines.find((h) => h.key === 'date')?.line ?? '';
  const match = /(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{4})/i.exec(line);
  const month = match ? MONTHS.indexOf(match[2]!.toLowerCase()) : -1;
  if (!match || month < 0) return utcDay(fallback);
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
}

// imapflow moves a BEFORE bound that is not a UTC midnight to the next day so that the given day is included;
// the in-memory backend does the same so both answer alike.
function beforeDay(date: Date): string {
  const midnight = date.toISOString().slice(11) === '00:00:00.000Z';
  return utcDay(midnight ? date : new Date(date.getTime() + 86_400_000));
}

function contains(haystack: string | undefined, needle: string): boolean {
  return (haystack ?? '').toLowerCase().includes(needle.toLowerCase());
}

/** Everything a TEXT search looks through: the raw header block, decoded headers and the decoded body. */
function searchableText(parsed: ParsedMail): string {
  return [
    parsed.headerLines.map((h) => h.line).join('\n'),
    parsed.subject,
    parsed.from?.text,
    ...[parsed.to, parsed.cc].flat().map((a) => a?.text),
    parsed.text,
  ].join('\n');
}

function addressText(header: ParsedMail['to']): string {
  return [header].flat().map((a) => a?.text ?? '').join(', ');
}

/**
 * The in-memory backend's reading of a search: the same criteria an IMAP server applies, on the parsed message.
 * Keywords are matched exactly, text case-insensitively.
 */
export function matchesQuery(
  message: { parsed: ParsedMail; flags: ReadonlySet<string>; internalDate: Date },
  query: MailSearchQuery,
): boolean {
  const { parsed, flags } = message;
  if (query.unseen !== undefined && flags.has('\\Seen') === query.unseen) return false;
  if (query.flagged !== undefined && flags.has('\\Flagged') !== query.flagged) return false;
  if (query.keyword !== undefined && !flags.has(query.keyword)) return false;
  if (query.subject !== undefined && !contains(parsed.subject, query.subject)) return false;
  if (query.from !== undefined && !contains(parsed.from?.text, query.from)) return false;
  if (query.to !== undefined && !contains(addressText(parsed.to), query.to)) return false;
  if (query.text !== undefined && !contains(searchableText(parsed), query.text)) return false;
  if (query.since !== undefined || query.before !== undefined) {
    const day = sentDay(parsed, message.internalDate);
    if (query.since !== undefined && day < utcDay(query.since)) return false;
    if (query.before !== undefined && day >= beforeDay(query.before)) return false;
  }
  return true;
}
