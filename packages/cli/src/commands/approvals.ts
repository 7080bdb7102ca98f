import type { Command } from 'commander';
import { CliUsageError, EXIT } from '../cli-error';
import type { CommandContext } from '../command-context';
import { decideApproval, isPending, type HumanDecision, type RecordedDecision } from '../approvals/decide';
import { formatPendingTable, formatRequest } from '../approvals/format-request';
import { formatDuration, parseDuration } from '../format/parse-flags';

interface DecideOptions {
  as: string;
  reason?: string;
  inputHash?: string;
  grantFor?: string;
  json?: boolean;
}

/** `claw approvals list | show | approve | deny`: requests waiting for a person, with their preview and exact input. */
export function registerApprovals(program: Command, ctx: CommandContext): void {
  const approvals = program.command('approvals').description('approval requests waiting for a person');

  approvals
    .command('list')
    .description('pending requests, oldest first')
    .option('--principal <id>', 'only requests of agents acting for this person')
    .option('--json', 'print the requests as JSON')
    .action(ctx.action(async (options: { principal?: string; json?: boolean }, command: Command) => {
      const pending = await ctx.withStores(command, (stores) => stores.approvals.listPending(options.principal));
      if (options.json) ctx.printJson(pending);
      else ctx.print(formatPendingTable(pending, ctx.io.now()));
      return EXIT.ok;
    }));

  approvals
    .command('show')
    .description('one request: tool, effect, reason, preview and the exact input it would run with')
    .argument('<request-id>')
    .option('--json', 'print { status, request, decisions } as JSON')
    .action(ctx.action(async (requestId: string, options: { json?: boolean }, command: Command) => {
      const found = await ctx.withStores(command, async (stores) => {
        const request = await stores.approvals.getRequest(requestId);
        if (!request) return undefined;
        const { decisions } = await stores.approvals.getDecisions(request.id);
        return { request, status: (await isPending(stores.approvals, request)) ? ('pending' as const) : ('decided' as const), decisions };
      });
      if (!found) throw new CliUsageError(`No approval request with id "${requestId}".`);
      if (options.json) ctx.printJson(found);
      else ctx.print(formatRequest(found.request, found.status, ctx.io.now(), found.decisions));
      return EXIT.ok;
    }));

  for (const decision of ['approve', 'deny'] as const) {
    const command = approvals
      .command(decision)
      .description(decision === 'approve' ? 'approve a pending request as <approver>' : 'deny a pending request as <approver>')
      .argument('<request-id>')
      .requiredOption('--as <approver>', 'who decides (asserted, not authenticated: see docs/cli.md)')
      .option('--reason <text>', 'why, recorded with the decision')
      .option('--json', 'print { outcome, approver, approvers, request } as JSON');
    if (decision === 'approve') {
      command
        .option('--input-hash <sha256>', 'the input hash you reviewed with `show`: refused if the request differs')
        .option('--grant-for <duration>', 'also approve matching calls of this tool for this person for this long (30m, 1h, 1d), from when the run resumes');
    }
    command.action(ctx.action(async (requestId: string, options: DecideOptions, cmd: Command) => {
      const human: HumanDecision = {
        requestId,
        decision,
        approver: options.as,
        ...(options.reason !== undefined ? { reason: options.reason } : {}),
        ...(options.inputHash !== undefined ? { inputHash: options.inputHash } : {}),
        ...(options.grantFor !== undefined ? { grantForMs: parseDuration('--grant-for', options.grantFor) } : {}),
      };
      if (human.approver.trim() === '') throw new CliUsageError('--as needs the id of the person deciding.');
      const now = ctx.io.now();
      const recorded = await ctx.withStores(cmd, (stores) => decideApproval(stores, human, now));
      if (options.json) ctx.printJson(recorded);
      else ctx.print(formatRecorded(recorded, human));
      return EXIT.ok;
    }));
  }
}

/** What a recorded decision means for the call, and that the run continues only when its service resumes it. */
function formatRecorded(recorded: RecordedDecision, human: HumanDecision): string {
  const r = recorded.request;
  const headline = {
    approved: `Approved ${r.id}: ${r.toolName} for ${r.principal.id}, by ${recorded.approvers.join(', ')}.`,
    denied: `Denied ${r.id}: ${r.toolName} for ${r.principal.id}, by ${recorded.approver}; the call will not run.`,
    awaiting_more_approvers: `Recorded ${recorded.approver}'s approval of ${r.id} (${r.toolName} for ${r.principal.id}): ${recorded.approvers.length} of ${r.approversRequired} approvers; another person must approve before it runs.`,
  }[recorded.outcome];
  return [
    headline,
    `Preview:     ${r.preview?.summary ?? '(the tool offers no preview)'}`,
    `Input:       ${JSON.stringify(r.input)}`,
    `Input hash:  ${r.inputHash}`,
    ...(human.grantForMs !== undefined && recorded.outcome !== 'denied'
      ? [`When the run resumes, later ${r.toolName} calls for ${r.principal.id} in ${r.environment} are approved for ${formatDuration(human.grantForMs)}.`]
      : []),
    'The run continues when its service resumes it (agent.resume reads this decision from the store).',
  ].join('\n');
}
