import { z } from 'zod';

/** A message id as email_search returns it. */
export const messageIdInput = z
  .string()
  .regex(/^.+:\d+:\d+$/, 'a message id exactly as email_search returned it (folder:uidValidity:uid)')
  .describe('A message id exactly as email_search or email_read returned it');

/** One to a hundred message ids. */
export const messageIdsInput = z.array(messageIdInput).min(1).max(100).describe('Message ids exactly as email_search returned them (1-100)');

/** A folder path as email_list_folders returns it. */
export const folderInput = z.string().trim().min(1).max(200).describe('A folder path as email_list_folders returns it, e.g. "INBOX" or "Archive"');

/** A label (IMAP keyword). */
export const labelInput = z
  .string()
  .regex(/^[A-Za-z0-9$][A-Za-z0-9_$.\-]{0,63}$/, 'a label of letters, digits and _ . - $ (no spaces)')
  .describe('A label such as "follow-up"');

/** Recipient addresses. */
export const recipientsInput = z.array(z.string().trim().min(3).max(320)).max(50);

/** A date as YYYY-MM-DD. */
export const dayInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
