import {
  InvalidArgumentError,
  type ApprovalDecision,
  type ApprovalRecord,
  type ApprovalRequest,
  type ApprovalStore,
  type TimeLimitedGrant,
} from '@claw/core';
import { clawDatabase, type ClawDatabase, type PostgresStoreOptions } from './database';

/**
 * {@link ApprovalStore} on PostgreSQL. A decision is recorded by one conditional UPDATE (`WHERE outcome IS NULL`),
 * so across any number of replicas exactly one `decide` of a request wins and every replay gets `false`.
 */
export class PostgresApprovalStore implements ApprovalStore {
  private readonly db: ClawDatabase;

  /** @throws InvalidArgumentError for a bad schema name or a missing pool. */
  constructor(options: PostgresStoreOptions) {
    this.db = clawDatabase(options);
  }

  /**
   * Stores a request. A request is immutable once stored: putting the same id again keeps the first.
   * @throws InvalidArgumentError for a request without id or principal; StoreError when the database fails.
   */
  async putRequest(request: ApprovalRequest): Promise<void> {
    if (!request || typeof request.id !== 'string' || request.id.length === 0 || typeof request.principal?.id !== 'string') {
      throw new InvalidArgumentError('An approval request needs a string id and a principal with an id.');
    }
    await this.db.query(
      'storing an approval request',
      `INSERT INTO ${this.db.table('approval_requests')} (id, principal_id, requested_at, request) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING`,
      [request.id, request.principal.id, request.requestedAt, JSON.stringify(request)],
    );
  }

  /** The stored request, decided or not. @throws StoreError when the database fails. */
  async getRequest(id: string): Promise<ApprovalRequest | undefined> {
    const rows = await this.db.query<{ request: string }>(
      'reading an approval request',
      `SELECT request FROM ${this.db.table('approval_requests')} WHERE id = $1`,
      [id],
    );
    return rows[0] ? (JSON.parse(rows[0].request) as ApprovalRequest) : undefined;
  }

  /**
   * Records the decisions exactly once. Returns false when the request was already decided (a replay) or is unknown.
   * @throws StoreError when the database fails.
   */
  async decide(requestId: string, decisions: readonly ApprovalDecision[], outcome: 'approved' | 'denied'): Promise<boolean> {
    if (outcome !== 'approved' && outcome !== 'denied') throw new InvalidArgumentError(`outcome must be "approved" or "denied", got ${JSON.stringify(outcome)}.`);
    const rows = await this.db.query(
      'recording an approval decision',
      `UPDATE ${this.db.table('approval_requests')} SET outcome = $2, decisions = $3, decided_at = $4
       WHERE id = $1 AND outcome IS NULL RETURNING id`,
      [requestId, outcome, JSON.stringify(decisions ?? []), Date.now()],
    );
    return rows.length === 1;
  }

  /**
   * Records one approver's decision on an unsettled request; false when they already decided it or it is settled.
   * @throws StoreError when the database fails.
   */
  async recordDecision(requestId: string, decision: ApprovalDecision): Promise<boolean> {
    if (typeof decision?.approver !== 'string') throw new InvalidArgumentError('A decision needs an approver.');
    const rows = await this.db.query(
      'recording an approval decision',
      `INSERT INTO ${this.db.table('approval_votes')} (request_id, approver, decision, recorded_at)
       SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM ${this.db.table('approval_requests')} WHERE id = $1 AND outcome IS NOT NULL)
       ON CONFLICT (request_id, approver) DO NOTHING RETURNING request_id`,
      [requestId, decision.approver, JSON.stringify(decision), Date.now()],
    );
    return rows.length === 1;
  }

  /** The decisions recorded for a request, and its outcome once settled. @throws StoreError when the database fails. */
  async getDecisions(requestId: string): Promise<ApprovalRecord> {
    const settled = await this.db.query<{ outcome: string | null; decisions: string | null }>(
      'reading approval decisions',
      `SELECT outcome, decisions FROM ${this.db.table('approval_requests')} WHERE id = $1`,
      [requestId],
    );
    const row = settled[0];
    if (row?.outcome) return { decisions: JSON.parse(row.decisions ?? '[]') as ApprovalDecision[], outcome: row.outcome as 'approved' | 'denied' };
    const votes = await this.db.query<{ decision: string }>(
      'reading approval decisions',
      `SELECT decision FROM ${this.db.table('approval_votes')} WHERE request_id = $1 ORDER BY seq`,
      [requestId],
    );
    return { decisions: votes.map((v) => JSON.parse(v.decision) as ApprovalDecision) };
  }

  /** Undecided requests, oldest first, optionally of one principal. @throws StoreError when the database fails. */
  async listPending(principalId?: string): Promise<ApprovalRequest[]> {
    const rows = await this.db.query<{ request: string }>(
      'listing pending approvals',
      `SELECT request FROM ${this.db.table('approval_requests')}
       WHERE outcome IS NULL AND ($1::text IS NULL OR principal_id = $1) ORDER BY requested_at, seq`,
      [principalId ?? null],
    );
    return rows.map((row) => JSON.parse(row.request) as ApprovalRequest);
  }

  /** Stores a time-limited grant (the same id again replaces it). @throws StoreError when the database fails. */
  async putGrant(grant: TimeLimitedGrant): Promise<void> {
    if (!grant || typeof grant.id !== 'string' || typeof grant.principalId !== 'string' || !Number.isFinite(grant.expiresAt)) {
      throw new InvalidArgumentError('A grant needs a string id, a principalId and a numeric expiresAt.');
    }
    await this.db.query(
      'storing a time-limited grant',
      `INSERT INTO ${this.db.table('approval_grants')} (id, principal_id, granted_at, expires_at, grant_json) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET principal_id = EXCLUDED.principal_id, granted_at = EXCLUDED.granted_at,
         expires_at = EXCLUDED.expires_at, grant_json = EXCLUDED.grant_json`,
      [grant.id, grant.principalId, grant.grantedAt, grant.expiresAt, JSON.stringify(grant)],
    );
  }

  /** Grants of a principal still valid at `at` (granted at or before it, expiring after it). @throws StoreError. */
  async listGrants(principalId: string, at: number): Promise<TimeLimitedGrant[]> {
    const rows = await this.db.query<{ grant_json: string }>(
      'listing time-limited grants',
      `SELECT grant_json FROM ${this.db.table('approval_grants')}
       WHERE principal_id = $1 AND expires_at > $2 AND granted_at <= $2 ORDER BY granted_at, seq`,
      [principalId, at],
    );
    return rows.map((row) => JSON.parse(row.grant_json) as TimeLimitedGrant);
  }
}
