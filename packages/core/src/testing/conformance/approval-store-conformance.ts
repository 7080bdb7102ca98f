import { describe, expect, it } from 'vitest';
import { type ApprovalDecision, type ApprovalRequest, type ApprovalStore, type TimeLimitedGrant } from '@claw/core';
import { withStore, type StoreFactory } from './store-handle';

const T = 1_800_000_000_000;
const HOUR = 3_600_000;

function approvalRequest(id: string, principalId: string, requestedAt: number): ApprovalRequest {
  return {
    id,
    runId: `run-${id}`,
    toolCallId: `call-${id}`,
    toolName: 'deploy_start',
    effect: 'deploy',
    environment: 'production',
    principal: { id: principalId, managerId: 'raj', team: 'platform' },
    input: { service: 'billing', ref: 'v1.2.3', flags: { canary: true, regions: ['eu', 'us'] } },
    inputHash: 'f'.repeat(64),
    preview: { summary: 'Deploy billing v1.2.3 to production' },
    reason: 'deploy effect in production',
    requestedAt,
    expiresAt: requestedAt + HOUR,
    approversRequired: 1,
  };
}

function grant(id: string, principalId: string, expiresAt: number, extra: Partial<TimeLimitedGrant> = {}): TimeLimitedGrant {
  return {
    id,
    principalId,
    toolName: 'email_move',
    environment: 'production',
    approvers: ['raj'],
    grantedAt: T,
    expiresAt,
    ...extra,
  };
}

const approve: ApprovalDecision = { decision: 'approve', approver: 'raj', requestId: 'a1', toolCallId: 'call-a1', inputHash: 'f'.repeat(64), decidedAt: T + 5 };

/**
 * Registers the {@link ApprovalStore} conformance tests: request round trips, decide-exactly-once (also under
 * concurrency), the pending list, and time-limited grants that expire.
 * @param factory returns a fresh, empty approval store per test
 */
export function describeApprovalStoreConformance(name: string, factory: StoreFactory<ApprovalStore>): void {
  const test = (title: string, body: (store: ApprovalStore) => Promise<void>) =>
    it(title, () => withStore(factory, ({ store }) => body(store)));

  describe(`ApprovalStore conformance: ${name}`, () => {
    test('stores a request and returns it unchanged', async (store) => {
      const request = approvalRequest('a1', 'priya', T);
      await store.putRequest(request);
      expect(await store.getRequest('a1')).toEqual(request);
      expect(await store.getRequest('missing')).toBeUndefined();
    });

    test('decides a request exactly once; a replay returns false', async (store) => {
      await store.putRequest(approvalRequest('a1', 'priya', T));
      expect(await store.decide('a1', [approve], 'approved')).toBe(true);
      expect(await store.decide('a1', [{ ...approve, decision: 'deny' }], 'denied')).toBe(false);
      expect(await store.decide('a1', [approve], 'approved')).toBe(false);
    });

    test('of concurrent decisions on one request exactly one wins', async (store) => {
      await store.putRequest(approvalRequest('a1', 'priya', T));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.decide('a1', [{ ...approve, approver: `approver-${i}` }], i % 2 ? 'approved' : 'denied')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('records decisions one approver at a time until the request is settled', async (store) => {
      await store.putRequest(approvalRequest('a1', 'priya', T));
      expect(await store.getDecisions('a1')).toEqual({ decisions: [] });
      expect(await store.recordDecision('a1', approve)).toBe(true);
      expect(await store.recordDecision('a1', { ...approve, decision: 'deny' })).toBe(false);
      const mei = { ...approve, approver: 'mei', decidedAt: T + 9 };
      expect(await store.recordDecision('a1', mei)).toBe(true);
      expect((await store.getDecisions('a1')).decisions).toEqual([approve, mei]);
      expect((await store.listPending()).map((r) => r.id)).toEqual(['a1']);
      expect(await store.decide('a1', [approve, mei], 'approved')).toBe(true);
      expect(await store.getDecisions('a1')).toEqual({ decisions: [approve, mei], outcome: 'approved' });
      expect(await store.recordDecision('a1', { ...approve, approver: 'sam' })).toBe(false);
    });

    test('lists pending requests oldest first, optionally for one principal', async (store) => {
      await store.putRequest(approvalRequest('a3', 'priya', T + 3000));
      await store.putRequest(approvalRequest('a1', 'priya', T + 1000));
      await store.putRequest(approvalRequest('a2', 'sam', T + 2000));
      await store.putRequest(approvalRequest('a4', 'priya', T + 4000));
      expect((await store.listPending()).map((r) => r.id)).toEqual(['a1', 'a2', 'a3', 'a4']);
      await store.decide('a3', [approve], 'approved');
      expect((await store.listPending()).map((r) => r.id)).toEqual(['a1', 'a2', 'a4']);
      expect(await store.listPending('priya')).toEqual([approvalRequest('a1', 'priya', T + 1000), approvalRequest('a4', 'priya', T + 4000)]);
      expect(await store.listPending('nobody')).toEqual([]);
    });

    test('lists a principal\'s grants that are still valid at the given time', async (store) => {
      const hourly = grant('g1', 'priya', T + HOUR, { inputMatch: { folder: 'Archive', dryRun: false, max: 5 } });
      const daily = grant('g2', 'priya', T + 24 * HOUR);
      await store.putGrant(hourly);
      await store.putGrant(daily);
      await store.putGrant(grant('g3', 'sam', T + 24 * HOUR));
      const byId = (grants: TimeLimitedGrant[]) => [...grants].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(await store.listGrants('priya', T + 1000))).toEqual([hourly, daily]);
      expect(await store.listGrants('priya', T + 2 * HOUR)).toEqual([daily]);
      expect(await store.listGrants('priya', T + 25 * HOUR)).toEqual([]);
      expect(await store.listGrants('nobody', T)).toEqual([]);
    });
  });
}
