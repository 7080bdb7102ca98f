import { DEFAULT_PRICE_TABLE, UsageReports, explainUsage } from '@claw/core';
import type { Command } from 'commander';
import { CliUsageError, EXIT } from '../cli-error';
import type { CommandContext } from '../command-context';

/** `claw explain <record-id>`: how each number of one usage record was derived (docs/metering.md), line by line. */
export function registerExplain(program: Command, ctx: CommandContext): void {
  program
    .command('explain')
    .description("how a usage record's numbers were derived, line by line (docs/metering.md)")
    .argument('<record-id>', 'id of the usage record')
    .requiredOption('--as <viewer>', "who is looking: the record's person, or someone in their management chain")
    .option('--json', 'print { record, explanation } as JSON')
    .action(ctx.action(async (recordId: string, options: { as: string; json?: boolean }, command: Command) => {
      const { directory } = ctx.orgDirectory(command);
      const { record, store } = await ctx.withStores(command, async (stores) => ({
        record: await new UsageReports({ ledger: stores.ledger, directory, audit: stores.audit }).record(options.as, recordId),
        store: stores.description,
      }));
      if (record === undefined) throw new CliUsageError(`No usage record with id "${recordId}" in ${store}.`);
      const explanation = explainUsage(record, DEFAULT_PRICE_TABLE).split('\n');
      if (options.json) ctx.printJson({ record, explanation });
      else ctx.print(explanation.join('\n'));
      return EXIT.ok;
    }));
}
