import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../cli-error';
import type { CommandContext } from '../command-context';
import { namesFor, writeScaffold, type ScaffoldKind } from '../init/scaffold';
import { CLAW_PACKAGE_VERSION } from '../init/versions';

const NEXT_STEPS: Record<ScaffoldKind, string> = {
  service: 'npm install && npm test, then `npm start -- "What do my notes say?"` with OPENAI_API_KEY set.',
  skill: 'npm install && npm test, then review it with `npx claw skills describe . --config ./review.config.ts`.',
};

/** `claw init service <dir>` and `claw init skill <dir>`: scaffolds that pass their own tests once installed. */
export function registerInit(program: Command, ctx: CommandContext): void {
  const init = program.command('init').description('scaffold a service or a skill package');
  for (const kind of ['service', 'skill'] as const) {
    init
      .command(kind)
      .description(kind === 'service' ? 'a service: an agent, SQLite stores, one skill and a test' : 'a skill package as in docs/writing-a-skill.md, with tests')
      .argument('<dir>', 'a new or empty directory')
      .option('--name <skill>', 'skill name (default: from the directory name)')
      .option('--package <name>', 'npm package name (default: the directory name)')
      .action(ctx.action(async (dir: string, options: { name?: string; package?: string }) => {
        const target = resolve(ctx.io.cwd, dir);
        const names = namesFor(target, options);
        const files = writeScaffold(kind, target, kind === 'service' ? { ...names, name: 'notes' } : names, CLAW_PACKAGE_VERSION);
        ctx.print([`Created ${kind} ${names.package} in ${target}:`, ...files.map((f) => `  ${f}`), '', `Next: cd ${dir} && ${NEXT_STEPS[kind]}`].join('\n'));
        return EXIT.ok;
      }));
  }
}
