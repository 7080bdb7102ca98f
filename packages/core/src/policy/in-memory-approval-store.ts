import type { ApprovalDecision, ApprovalRecord, ApprovalRequest, ApprovalStore, TimeLimitedGrant } from './approval';

/** An `ApprovalStore` in process memory. */
export class InMemoryApprovalStore implements ApprovalStore {
  private readonly requests = new Map<string, ApprovalRequest>();
  private readonly decided = new Map<string, { decisions: ApprovalDecision[]; outcome: 'approved' | 'denied' }>();
  private readonly grants: TimeLimitedGrant[] = [];
  private readonly recorded = new Map<string, ApprovalDecision[]>();

  async putRequest(request: ApprovalRequest): Promise<void> {
    if (!this.requests.has(request.id)) this.requests.set(request.id, structuredClone(request));
  }

  async getRequest(id: string): Promise<ApprovalRequest | undefined> {
    const request = this.requests.get(id);
    return request && structuredClone(request);
  }

  async decide(requestId: string, decisions: readonly ApprovalDecision[], outcome: 'approved' | 'denied'): Promise<boolean> {
    if (this.decided.has(requestId)) return false;
    this.decided.set(requestId, { decisions: structuredClone([...decisions]), outcome });
    return true;
  }

  async recordDecision(requestId: string, decision: ApprovalDecision): Promise<boolean> {
    if (this.decided.has(requestId)) return false;
    const list = this.recorded.get(requestId) ?? [];
    if (list.some((d) => d.approver === decision.approver)) return false;
    list.push(structuredClone(decision));
    this.recorded.set(requestId, list);
    return true;
  }

  async getDecisions(requestId: string): Promise<ApprovalRecord> {
    const settled = this.decided.get(requestId);
    if (settled) return structuredClone({ decisions: settled.decisions, outcome: settled.outcome });
    return { decisions: structuredClone(this.recorded.get(requestId) ?? []) };
  }

  async listPending(principalId?: string): Promise<ApprovalRequest[]> {
    return [...this.requests.values()]
      .filter((r) => !this.decided.has(r.id) && (principalId === undefined || r.principal.id === principalId))
      .sort((a, b) => a.requestedAt - b.requestedAt)
      .map((r) => structuredClone(r));
  }

  async putGrant(grant: TimeLimitedGrant): Promise<void> {
    this.grants.push(structuredClone(grant));
  }

  async listGrants(principalId: string, at: number): Promise<TimeLimitedGrant[]> {
    return this.grants.filter((g) => g.principalId === principalId && g.grantedAt <= at && at < g.expiresAt).map((g) => structuredClone(g));
  }
}
