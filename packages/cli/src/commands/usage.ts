import { UsageReports, USAGE_CATEGORIES, type UsageDimension, type UsageReport } from '@claw/core';
import type { Command } from 'commander';
import { CliUsageError, EXIT } from '../cli-error';
import type { CommandContext } from '../command-context';
import { count, dollars, formatTable, isoMinute, percent } from '../format/table';
import { parseSince } from '../format/parse-flags';

/** What `--by` accepts: report dimensions, and `category` for the metering categories. */
const GROUPINGS = ['day', 'skill', 'trigger', 'category', 'model', 'source', 'status', 'stopReason', 'principal'] as const;

interface UsageOptions {
  as: string;
  person?: string;
  team?: string;
  since: string;
  until?: string;
  by?: string;
  json?: boolean;
}

/** `claw usage`: a usage report through core's `UsageReports`, with its access rules and audited refusals. */
export function registerUsage(program: Command, ctx: CommandContext): void {
  program
    .command('usage')
    .description("usage of a person (default: the viewer) or a team, with the same access rules as UsageReports")
    .requiredOption('--as <viewer>', 'who is looking: the person, or someone in their management chain')
    .option('--person <id>', 'whose usage (default: the viewer)')
    .option('--team <id>', "a team's aggregate (small groups are hidden)")
    .option('--since <span-or-date>', 'start of the window: 30d, 12h, 2w or a date', '30d')
    .option('--until <span-or-date>', 'end of the window (default: now)')
    .option('--by <grouping>', `group by ${GROUPINGS.join('|')}`)
    .option('--json', 'print the UsageReport as JSON')
    .action(ctx.action(async (options: UsageOptions, command: Command) => {
      if (options.person !== undefined && options.team !== undefined) throw new CliUsageError('Pass --person or --team, not both.');
      if (options.by !== undefined && !(GROUPINGS as readonly string[]).includes(options.by)) {
        throw new CliUsageError(`--by "${options.by}" is not one of ${GROUPINGS.join(', ')}.`);
      }
      const now = ctx.io.now();
      const from = parseSince('--since', options.since, now);
      const to = options.until !== undefined ? parseSince('--until', options.until, now) : now;
      if (!(to > from)) throw new CliUsageError('--since must be before --until.');
      const { directory, path } = ctx.orgDirectory(command);
      if (options.team !== undefined && (await directory.membersOf(options.team)).length === 0) {
        throw new CliUsageError(`Team "${options.team}" has no members in the org file ${path}.`);
      }
      const by = options.by;
      const groupBy: UsageDimension[] = by === undefined || by === 'category' ? [] : [by as UsageDimension];
      const report = await ctx.withStores(command, (stores) =>
        new UsageReports({ ledger: stores.ledger, directory, audit: stores.audit }).report({
          viewer: options.as,
          ...(options.team !== undefined ? { team: options.team } : { subject: options.person ?? options.as }),
          from,
          to,
          groupBy,
        }),
      );
      if (options.json) ctx.printJson(report);
      else ctx.print(formatUsageReport(report, by));
      return EXIT.ok;
    }));
}

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** The report as terminal text: totals, the grouping asked for, outcomes and the inflation flags. */
export function formatUsageReport(report: UsageReport, by: string | undefined): string {
  const t = report.totals;
  const whose = report.team !== undefined ? `team ${report.team}` : report.subject;
  const lines = [
    `Usage of ${whose}, seen by ${report.viewer}, ${isoMinute(report.from)} to ${isoMinute(report.to)}`,
    `Total: ${count(t.totalTokens)} tokens (${count(t.inputTokens)} input + ${count(t.outputTokens)} output) in ${plural(t.runs, 'run')} and ${plural(t.records, 'model call')}, ${dollars(t.costUsd)}; ${percent(t.reportedShare)} reported by providers, the rest estimated`,
    `Counted by formula ${report.formulaVersions.length > 0 ? report.formulaVersions.join(', ') : '(no records)'}`,
  ];
  if (by === 'category') {
    const total = USAGE_CATEGORIES.reduce((n, c) => n + report.categories[c], 0);
    lines.push('', 'By category (estimated tokens)');
    lines.push(
      formatTable(
        [{ heading: 'category' }, { heading: 'tokens', align: 'right' }, { heading: 'share', align: 'right' }],
        USAGE_CATEGORIES.map((c) => [c, count(report.categories[c]), total === 0 ? '0%' : percent(report.categories[c] / total)]),
      ),
    );
  } else if (by !== undefined) {
    lines.push('', `By ${by}`);
    lines.push(
      formatTable(
        [by, 'calls', 'runs', 'input', 'output', 'total', 'cost'].map((heading, i) => ({ heading, align: i === 0 ? 'left' : 'right' })),
        [...report.groups]
          .sort((a, b) => String(a.key[by as UsageDimension]).localeCompare(String(b.key[by as UsageDimension])))
          .map((g) => [String(g.key[by as UsageDimension] ?? ''), count(g.records), count(g.runs), count(g.inputTokens), count(g.outputTokens), count(g.totalTokens), dollars(g.costUsd)]),
      ),
    );
    if (report.suppressedGroups > 0) lines.push(`${report.suppressedGroups} group(s) hidden: too few people in them to report without singling someone out.`);
  }
  const o = report.outcomes;
  lines.push(
    '',
    `Outcomes: ${plural(o.runs, 'run')}, ${count(o.answeredRuns)} answered, ${count(o.actions)} actions; ${o.tokensPerAnsweredRun === null ? 'no answered run' : `${count(o.tokensPerAnsweredRun)} tokens per answered run`}, ${o.tokensPerAction === null ? 'no action' : `${count(o.tokensPerAction)} tokens per action`}`,
  );
  const f = report.flags;
  lines.push(
    `Flags: background ${percent(f.backgroundShare)}, failed calls ${percent(f.failedShare)}, idle runs ${count(f.idleRuns.runs)} (${count(f.idleRuns.tokens)} tokens), repeated prompts ${f.repeatedPrompts.length === 0 ? 'none' : f.repeatedPrompts.map((p) => `${p.promptHash.slice(0, 12)} x${p.runs} (${count(p.tokens)} tokens)`).join(', ')}`,
  );
  return lines.join('\n');
}
