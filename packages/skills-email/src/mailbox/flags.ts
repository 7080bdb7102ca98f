import { MailboxError } from '../errors';

const SYSTEM_FLAGS = ['\\Seen', '\\Flagged', '\\Answered', '\\Draft', '\\Deleted'] as const;
// RFC 3501 atom: no spaces, controls or atom-specials ( ) { % * " \ ]
const KEYWORD = /^[^\s(){%*"\\\]\u0000-\u001f\u007f]{1,64}$/;

/**
 * Normalises a flag to the spelling servers store (`\seen` → `\Seen`) and checks that a keyword is a valid
 * IMAP atom, so both backends accept and refuse the same flags.
 * @throws MailboxError (`invalid-message`) for a flag no server would store.
 */
export function normalizeFlag(flag: string): string {
  if (flag.startsWith('\\')) {
    const system = SYSTEM_FLAGS.find((f) => f.toLowerCase() === flag.toLowerCase());
    if (!system) {
      throw new MailboxError('invalid-message', `"${flag}" is not a settable IMAP flag; use one of ${SYSTEM_FLAGS.join(', ')} or a keyword.`);
    }
    return system;
  }
  if (!KEYWORD.test(flag)) {
    throw new MailboxError('invalid-message', `"${flag}" is not a valid keyword: use 1-64 characters without spaces or ( ) { % * " \\ ].`);
  }
  return flag;
}

/** Applies a change to a flag set in place (used by the in-memory backend; IMAP servers do this themselves). */
export function applyFlagChange(flags: Set<string>, change: { add?: readonly string[]; remove?: readonly string[] }): void {
  for (const flag of change.add ?? []) flags.add(normalizeFlag(flag));
  for (const flag of change.remove ?? []) flags.delete(normalizeFlag(flag));
}
