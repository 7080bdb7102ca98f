import { Command, CommanderError } from 'commander';
import { EXIT, errorLine } from './cli-error';
import { commandContext } from './command-context';
import { registerApprovals } from './commands/approvals';
import { registerAudit } from './commands/audit-verify';
import { registerExplain } from './commands/explain';
import { registerInit } from './commands/init';
import { registerSkills } from './commands/skills-describe';
import { registerUsage } from './commands/usage';
import { processIo, type ClawIo } from './io';
import { DEFAULT_ORG_FILE } from './org/org-file';
import { DEFAULT_STORE } from './stores/store-location';

/** The CLI's version, printed by `claw --version`. */
export const CLI_VERSION = '0.1.0';

/**
 * Runs one `claw` command line (without the `node` and script arguments) and resolves with its exit code:
 * 0 done, 1 the audit chain is broken, 2 refused (one line on stderr, nothing written). Never throws.
 */
export async function runClaw(argv: readonly string[], io: ClawIo = processIo()): Promise<number> {
  const program = new Command('claw')
    .description('Claw operator tool: usage, record explanations, audit verification, approvals, permission reviews, scaffolds')
    .version(CLI_VERSION)
    .option('--store <path-or-url>', `SQLite file or postgres:// URL (default: $CLAW_STORE or ${DEFAULT_STORE})`)
    .option('--schema <name>', 'PostgreSQL schema holding Claw\'s tables (default: claw)')
    .option('--org <file>', `org directory file (default: $CLAW_ORG or ${DEFAULT_ORG_FILE})`)
    .showSuggestionAfterError(true);
  const ctx = commandContext(io);
  registerUsage(program, ctx);
  registerExplain(program, ctx);
  registerAudit(program, ctx);
  registerApprovals(program, ctx);
  registerSkills(program, ctx);
  registerInit(program, ctx);
  for (const command of allCommands(program)) {
    // Commander throws instead of exiting, and its own errors (unknown option, missing argument) become the one
    // `claw:` line below instead of its multi-line output.
    command.exitOverride().configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text), outputError: () => {} });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // A command line without a command: commander has printed the help to stderr.
      if (error.code === 'commander.help') return EXIT.refused;
      io.stderr.write(`claw: ${error.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT.refused;
    }
    io.stderr.write(`${errorLine(error)}\n`);
    return EXIT.refused;
  }
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}
