import { AccessDeniedError, InvalidArgumentError, type UsageRecord, type UsageReport, type UsageReportRequest } from '@claw/core';
import type { ConsoleOptions } from '../console-options';
import { HttpProblem } from '../http/http-problem';

/** Options with defaults filled in. */
export type ResolvedConsoleOptions = ConsoleOptions & { explain: (record: UsageRecord) => string; clock: () => number; formulaUrl: string; auditWindowMs: number };

/** What a page handler gets: the options, who is viewing, when, and the form token to embed. */
export interface PageContext {
  options: ResolvedConsoleOptions;
  viewer: string;
  base: string;
  now: number;
  /** CSRF token for forms that POST. */
  csrfToken: string;
  /** A person's display name (their id when the directory has none). */
  nameOf(personId: string): Promise<string>;
}

/**
 * A usage report, with the reports' refusals turned into pages: AccessDeniedError (already audited by the
 * reports) becomes 403, InvalidArgumentError 400. This is the only way pages read usage.
 */
export async function readReport(ctx: PageContext, request: Omit<UsageReportRequest, 'viewer'>): Promise<UsageReport> {
  try {
    return await ctx.options.reports.report({ ...request, viewer: ctx.viewer });
  } catch (error) {
    if (error instanceof AccessDeniedError) {
      const whose = request.subject !== undefined ? `${request.subject}'s usage` : `team ${request.team}'s usage`;
      throw new HttpProblem(403, 'Not yours to see', `${whose} is visible only to them and their management chain. This attempt was recorded in the audit log.`);
    }
    if (error instanceof InvalidArgumentError) throw new HttpProblem(400, 'Bad report request', error.message);
    throw error;
  }
}
