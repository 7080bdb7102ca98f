import { InvalidArgumentError } from '@claw/core';
import type { Mailbox, MailboxCallOptions, MailFolder } from '../mailbox/mailbox';
import type { EmailSkillConfig, TriageCategory } from './email-config';

/** What every email tool shares: the validated config, the mailbox, and lookups over them. */
export interface EmailToolkit {
  config: EmailSkillConfig;
  mailbox: Mailbox;
  /**
   * The configured category of that name (case-insensitive).
   * @throws InvalidArgumentError naming the categories that exist.
   */
  category(name: string): TriageCategory;
  /** The folders of the mailbox. */
  folders(options?: MailboxCallOptions): Promise<MailFolder[]>;
}

/** Builds the toolkit for a validated config. */
export function createEmailToolkit(config: EmailSkillConfig): EmailToolkit {
  return {
    config,
    mailbox: config.mailbox,
    category(name) {
      const found = config.categories.find((c) => c.name.toLowerCase() === name.trim().toLowerCase());
      if (!found) {
        const known = config.categories.map((c) => `"${c.name}"`).join(', ');
        throw new InvalidArgumentError(`There is no category "${name}". Use one of the configured categories: ${known || '(none configured)'}.`);
      }
      return found;
    },
    folders: (options) => config.mailbox.listFolders(options),
  };
}
