import type { Command } from 'commander';
import { CliUsageError, EXIT } from '../cli-error';
import type { CommandContext } from '../command-context';
import { collect, listFlag } from '../format/parse-flags';
import { loadConfigFile, loadSkills } from '../skills/load-skills';
import { permissionSheet } from '../skills/permission-sheet';
import { reviewSkills } from '../skills/review-skills';

interface DescribeOptions {
  grants?: string[];
  config?: string;
  environment: string;
  principal: string;
  json?: boolean;
}

/** `claw skills describe`: the permission review sheet of a skill package, as Markdown. */
export function registerSkills(program: Command, ctx: CommandContext): void {
  const skills = program.command('skills').description('skill packages');
  skills
    .command('describe')
    .description('the permission review sheet (Markdown): scopes, tools, effects, approvals, and what grants enable')
    .argument('<package-or-path>', 'a package name installed here, a package directory or a module file')
    .option('--grants <scopes>', 'scopes to review as granted, comma-separated or repeated', collect, [])
    .option('--config <file>', 'configuration for skills that need it: JSON, or a module whose default export is the config')
    .option('--environment <env>', 'sandbox or production', 'production')
    .option('--principal <id>', 'who the agent would act for', 'the principal')
    .option('--json', 'print the review as JSON')
    .action(ctx.action(async (target: string, options: DescribeOptions) => {
      if (options.environment !== 'sandbox' && options.environment !== 'production') {
        throw new CliUsageError(`--environment "${options.environment}" is not sandbox or production.`);
      }
      const grants = listFlag(options.grants);
      const loaded = await loadSkills(target, ctx.io.cwd);
      const config = options.config !== undefined ? await loadConfigFile(options.config, ctx.io.cwd) : undefined;
      const review = reviewSkills(loaded, { config, grants, environment: options.environment, principal: options.principal });
      if (options.json) ctx.printJson(review);
      else ctx.print(permissionSheet(review));
      return EXIT.ok;
    }));
}
