import type Database from 'better-sqlite3';
import {
  InvalidArgumentError,
  type ApprovalDecision,
  type ApprovalRecord,
  type ApprovalRequest,
  type ApprovalStore,
  type TimeLimitedGrant,
} from '@claw/core';
import { parseJsonColumn } from './json-column';
import { storeCall } from './sqlite-errors';

/**
 * An {@link ApprovalStore} in a Claw SQLite database. A decision is a row keyed by the request id, so of any number
 * of concurrent deciders (in any process) exactly one inserts it; the rest learn the request was already decided.
 */
export class SqliteApprovalStore implements ApprovalStore {
  private readonly statements;

  /** Use {@link openClawDatabase}; this constructor expects a migrated database. */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.statements = {
      // The first version of a request is the one approvers review: re-putting an id never changes it.
      putRequest: db.prepare('INSERT INTO approval_requests (id, principal_id, requested_at, request) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
      getRequest: db.prepare<[string], string>('SELECT request FROM approval_requests WHERE id = ?').pluck(),
      decide: db.prepare('INSERT INTO approval_decisions (request_id, outcome, decisions, decided_at) VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING'),
      pending: db.prepare<[], string>(
        `SELECT request FROM approval_requests r WHERE NOT EXISTS (SELECT 1 FROM approval_decisions d WHERE d.request_id = r.id)
         ORDER BY requested_at, rowid`,
      ).pluck(),
      pendingFor: db.prepare<[string], string>(
        `SELECT request FROM approval_requests r WHERE principal_id = ? AND NOT EXISTS (SELECT 1 FROM approval_decisions d WHERE d.request_id = r.id)
         ORDER BY requested_at, rowid`,
      ).pluck(),
      putGrant: db.prepare(
        `INSERT INTO approval_grants (id, principal_id, granted_at, expires_at, "grant") VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET principal_id = excluded.principal_id, granted_at = excluded.granted_at,
           expires_at = excluded.expires_at, "grant" = excluded."grant"`,
      ),
      vote: db.prepare(
        `INSERT INTO approval_votes (request_id, approver, decision, recorded_at)
         SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM approval_decisions WHERE request_id = ?)
         ON CONFLICT (request_id, approver) DO NOTHING`,
      ),
      votes: db.prepare<[string], string>('SELECT decision FROM approval_votes WHERE request_id = ? ORDER BY rowid').pluck(),
      settled: db.prepare<[string], { outcome: string; decisions: string }>('SELECT outcome, decisions FROM approval_decisions WHERE request_id = ?'),
      grants: db.prepare<[string, number, number], string>(
        'SELECT "grant" FROM approval_grants WHERE principal_id = ? AND granted_at <= ? AND expires_at > ? ORDER BY granted_at, rowid',
      ).pluck(),
    };
  }

  /** Stores a request; a second put of the same id keeps the first. @throws StoreError when SQLite fails. */
  async putRequest(request: ApprovalRequest): Promise<void> {
    if (typeof request?.id !== 'string' || typeof request.principal?.id !== 'string' || !Number.isFinite(request.requestedAt)) {
      throw new InvalidArgumentError('An approval request needs an id, a principal with an id, and a finite requestedAt.');
    }
    storeCall(this.file, 'store an approval request', () =>
      this.statements.putRequest.run(request.id, request.principal.id, request.requestedAt, JSON.stringify(request)),
    );
  }

  /** The request with this id, if stored. @throws StoreError when SQLite fails. */
  async getRequest(id: string): Promise<ApprovalRequest | undefined> {
    const json = storeCall(this.file, 'read an approval request', () => this.statements.getRequest.get(id));
    return json === undefined ? undefined : parseJsonColumn<ApprovalRequest>(json, 'approval request');
  }

  /** Records the decisions once; false when the request was already decided. @throws StoreError when SQLite fails. */
  async decide(requestId: string, decisions: readonly ApprovalDecision[], outcome: 'approved' | 'denied'): Promise<boolean> {
    if (outcome !== 'approved' && outcome !== 'denied') throw new InvalidArgumentError('An approval outcome is "approved" or "denied".');
    const result = storeCall(this.file, 'record an approval decision', () =>
      this.statements.decide.run(requestId, outcome, JSON.stringify(decisions), this.clock()),
    );
    return result.changes === 1;
  }

  /** Records one approver's decision on an unsettled request; false when they already decided or it is settled. @throws StoreError when SQLite fails. */
  async recordDecision(requestId: string, decision: ApprovalDecision): Promise<boolean> {
    if (typeof decision?.approver !== 'string') throw new InvalidArgumentError('A decision needs an approver.');
    const result = storeCall(this.file, 'record an approval decision', () =>
      this.statements.vote.run(requestId, decision.approver, JSON.stringify(decision), this.clock(), requestId),
    );
    return result.changes === 1;
  }

  /** The decisions recorded for a request, and its outcome once settled. @throws StoreError when SQLite fails. */
  async getDecisions(requestId: string): Promise<ApprovalRecord> {
    const settled = storeCall(this.file, 'read approval decisions', () => this.statements.settled.get(requestId));
    if (settled) return { decisions: parseJsonColumn<ApprovalDecision[]>(settled.decisions, 'approval decisions'), outcome: settled.outcome as 'approved' | 'denied' };
    const rows = storeCall(this.file, 'read approval decisions', () => this.statements.votes.all(requestId));
    return { decisions: rows.map((json) => parseJsonColumn<ApprovalDecision>(json, 'approval decision')) };
  }

  /** Undecided requests, oldest first, optionally of one principal. @throws StoreError when SQLite fails. */
  async listPending(principalId?: string): Promise<ApprovalRequest[]> {
    const rows = storeCall(this.file, 'list pending approvals', () =>
      principalId === undefined ? this.statements.pending.all() : this.statements.pendingFor.all(principalId),
    );
    return rows.map((json) => parseJsonColumn<ApprovalRequest>(json, 'approval request'));
  }

  /** Stores (or replaces, by id) a time-limited grant. @throws StoreError when SQLite fails. */
  async putGrant(grant: TimeLimitedGrant): Promise<void> {
    if (typeof grant?.id !== 'string' || typeof grant.principalId !== 'string' || !Number.isFinite(grant.grantedAt) || !Number.isFinite(grant.expiresAt)) {
      throw new InvalidArgumentError('A grant needs an id, a principalId and finite grantedAt / expiresAt.');
    }
    storeCall(this.file, 'store an approval grant', () =>
      this.statements.putGrant.run(grant.id, grant.principalId, grant.grantedAt, grant.expiresAt, JSON.stringify(grant)),
    );
  }

  /** Grants of a principal in force at `at` (granted at or before it, expiring after it). @throws StoreError when SQLite fails. */
  async listGrants(principalId: string, at: number): Promise<TimeLimitedGrant[]> {
    const rows = storeCall(this.file, 'list approval grants', () => this.statements.grants.all(principalId, at, at));
    return rows.map((json) => parseJsonColumn<TimeLimitedGrant>(json, 'approval grant'));
  }
}
