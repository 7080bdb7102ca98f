import type { ApprovalStore, AuditLog, PriceTable, RunStateStore, UsageLedger, UsageRecord, UsageReports } from '@claw/core';
import type { AgentFor } from './approvals/decide';
import type { ConsoleDirectory } from './org/org-chart';

/**
 * Who is asking: the host's own session or SSO turns a request into a principal id, or `null` when the request
 * is not signed in (the console then answers 401). The console has no password store of its own.
 */
export type Authenticate = (request: Request) => string | null | undefined | Promise<string | null | undefined>;

/** What {@link createConsole} is given by the service that mounts it. */
export interface ConsoleOptions {
  /** Turns a request into the viewer's principal id, or null. */
  authenticate: Authenticate;
  /** Every usage number on every page is read through these reports, so the console shows what the API would. */
  reports: UsageReports;
  /** The ledger the reports read; used for single records (and their derivation) after the reports allowed access. */
  ledger: UsageLedger;
  /** Who manages whom; the team page lists the people down the viewer's chain from it. */
  directory: ConsoleDirectory;
  approvals: ApprovalStore;
  runStates: RunStateStore;
  audit: AuditLog;
  /**
   * The agent that resumes a run suspended for approval (same skills and grants as the one that suspended it).
   * Without it an approval is only recorded, and the host resumes the run itself.
   */
  agentFor?: AgentFor;
  /**
   * Signs the CSRF tokens of the forms. At least 32 characters; keep it stable across restarts and replicas
   * (a restart with a new secret only makes open forms ask for a reload).
   */
  secret: string;
  /** The path the console is mounted at, e.g. `/console`. Default: the root. */
  basePath?: string;
  /** Explains a record (a `Meter`'s `explain`). Default: core's `explainUsage` with `prices`. */
  explain?: (record: UsageRecord) => string;
  /** Price table for the default `explain`. Default: core's `DEFAULT_PRICE_TABLE`. */
  prices?: PriceTable;
  /** Where the inflation flags link to for the published formula. */
  formulaUrl?: string;
  /** Cookies are Secure except on localhost; set true to always (or false never) mark them Secure. */
  secureCookies?: boolean;
  /** Clock in ms. Default `Date.now`. */
  clock?: () => number;
  /** A notice shown at the top of every page, e.g. "Staging data" or a demo's warning. */
  banner?: string;
  /** How far back the audit page reads. Default 7 days. */
  auditWindowMs?: number;
}
