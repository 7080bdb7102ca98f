import type { Command } from 'commander';
import { EXIT } from '../cli-error';
import type { CommandContext } from '../command-context';
import { count } from '../format/table';
import { progressBar } from '../audit/progress-bar';
import { verifyAuditLog, type AuditCheck } from '../audit/verify-audit';

/** `claw audit verify`: checks every link of the hash chain; exit code 1 and the first broken entry on a break. */
export function registerAudit(program: Command, ctx: CommandContext): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('verify the whole hash chain; exits 1 and prints the first broken entry on a break')
    .option('--json', 'print { valid, entries, brokenAt?, reason?, brokenEntry? } as JSON')
    .action(ctx.action(async (options: { json?: boolean }, command: Command) => {
      const { check, store } = await ctx.withStores(command, async (stores) => {
        const progress = progressBar(ctx.io, 'Verifying the audit log');
        try {
          return { check: await verifyAuditLog(stores.audit, { onProgress: (p) => progress.update(p) }), store: stores.description };
        } finally {
          progress.stop();
        }
      });
      if (options.json) ctx.printJson(check);
      else ctx.print(formatCheck(check, store));
      return check.valid ? EXIT.ok : EXIT.auditBroken;
    }));
}

function formatCheck(check: AuditCheck, store: string): string {
  if (check.valid) return `Audit log intact: ${count(check.entries)} entries verified in ${store}.`;
  const lines = [
    `Audit log BROKEN at chain "${check.brokenAt.chain}", entry ${check.brokenAt.seq}: ${check.reason}.`,
    `${count(check.entries)} entries read from ${store}; entries before this one verify, this one and everything after it cannot be trusted.`,
  ];
  if (check.brokenEntry) lines.push('First broken entry:', JSON.stringify(check.brokenEntry, null, 2));
  return lines.join('\n');
}
