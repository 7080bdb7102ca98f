import { describe, expect, it } from 'vitest';
import type { ApprovalDecision, ApprovalHandler, ApprovalRequest } from '../policy/approval';
import { DECISION_TABLE, tableGrants, tableInput, tablePolicy, tableTools, USER_INPUT, type DecisionRow, type TableOutcome } from '../policy/decision-table.fixture';
import { InMemoryApprovalStore } from '../policy/in-memory-approval-store';
import { sensitiveInputHash } from '../policy/sensitive-inputs';
import { ScriptedModel, type ScriptStep } from '../testing/scripted-model';
import { Agent } from './agent';
import type { RunResult } from './run-result';

const T0 = 1_800_000_000_000;
const TIMEOUT = 15 * 60_000;

/** A row's agent: the model reads the email, then makes the row's call; the clock is under the test's control. */
function rowAgent(row: DecisionRow, approvals?: ApprovalHandler, approvalTimeoutMs = TIMEOUT) {
  const clock = { now: T0 };
  const tools = tableTools(row.effect);
  const store = new InMemoryApprovalStore();
  const steps: ScriptStep[] = [
    { toolCalls: [{ id: 'read-1', name: 'email_read', input: {} }] },
    { toolCalls: [{ id: 'act-1', name: tools.tool.name, input: tableInput(row) }] },
    { text: 'done' },
  ];
  // A resuming agent is a new process: its model only has the turn after the resumed step.
  const make = (resuming = false) => new Agent({
    model: new ScriptedModel(resuming ? steps.slice(2) : steps),
    tools: [tools.read, tools.tool],
    principal: { id: 'priya', managerId: 'raj' },
    grants: tableGrants(row),
    environment: row.environment,
    policy: tablePolicy(row),
    approvalStore: store,
    approvalTimeoutMs,
    clock: () => clock.now,
    meter: false,
    ...(approvals ? { approvals } : {}),
  });
  return { clock, tools, store, make };
}

async function seedGrant(row: DecisionRow, setup: ReturnType<typeof rowAgent>): Promise<void> {
  if (!row.grant) return;
  const { tool } = setup.tools;
  await setup.store.putGrant({ id: 'g', principalId: 'priya', toolName: tool.name, environment: row.environment, sensitiveInputHash: sensitiveInputHash(tool, tableInput(row)), approvers: ['raj'], grantedAt: T0 - 1, expiresAt: T0 + 60 * 60_000 });
}

function outcomeOf(result: RunResult): TableOutcome {
  const call = result.steps.flatMap((s) => s.toolResults).filter((r) => r.call.id === 'act-1').at(-1);
  if (!call) throw new Error(`the call never ran (stop reason ${result.stopReason})`);
  switch (call.status) {
    case 'ok':
      return 'execute';
    case 'previewed':
      return 'preview';
    case 'awaiting_approval':
      return 'needs-approval';
    default:
      return call.errorCode!;
  }
}

function decisionsFor(row: DecisionRow, request: ApprovalRequest): ApprovalDecision[] {
  const bound = { requestId: request.id, inputHash: request.inputHash };
  switch (row.answer!) {
    case 'deny':
      return [{ decision: 'deny', approver: 'raj', ...bound }];
    case 'malformed':
      return [{ decision: 'yes please', approver: 'raj', ...bound } as never];
    case 'changed-input':
      return [{ decision: 'approve', approver: 'raj', requestId: request.id, inputHash: 'f'.repeat(64) }];
    case 'self-approval':
      return [{ decision: 'approve', approver: 'Priya ', ...bound }, { decision: 'approve', approver: 'raj', ...bound }];
    case 'two-approvers':
      return [{ decision: 'approve', approver: 'raj', ...bound }, { decision: 'approve', approver: 'mei', ...bound }];
    default:
      return [{ decision: 'approve', approver: 'raj', ...bound }];
  }
}

/** Through `agent.run`, the approval handler gives the row's answer. */
async function throughRun(row: DecisionRow): Promise<TableOutcome> {
  let setup: ReturnType<typeof rowAgent>;
  const handler: ApprovalHandler = async (request) => {
    switch (row.answer!) {
      case 'timeout':
        return new Promise(() => undefined);
      case 'throw':
        throw new Error('approval service down');
      case 'expired':
        setup.clock.now = request.expiresAt + 45 * 60_000;
        return { decision: 'approve', approver: 'raj', decidedAt: request.requestedAt };
      case 'replayed':
        await setup.store.decide(request.id, [], 'approved');
        return { decision: 'approve', approver: 'raj' };
      default:
        return decisionsFor(row, request);
    }
  };
  // The handler's wait is bounded by a real timer: a row that times out gets a short request lifetime.
  setup = rowAgent(row, row.answer ? handler : undefined, row.answer === 'timeout' ? 30 : TIMEOUT);
  await seedGrant(row, setup);
  return outcomeOf(await setup.make().run(USER_INPUT));
}

/** Through `agent.resume`: the run suspends (no handler), then a fresh agent resumes it with the row's answer. */
async function throughResume(row: DecisionRow): Promise<TableOutcome> {
  const setup = rowAgent(row);
  await seedGrant(row, setup);
  const first = await setup.make().run(USER_INPUT);
  if (first.stopReason !== 'suspended' || row.answer === undefined) {
    if (first.stopReason !== 'suspended') return outcomeOf(first);
    const again = await setup.make(true).resume(JSON.parse(JSON.stringify(first.state)));
    return outcomeOf(again);
  }
  const state = JSON.parse(JSON.stringify(first.state));
  const request = first.pending[0]!;
  switch (row.answer) {
    case 'timeout':
      setup.clock.now = request.expiresAt + 1;
      return outcomeOf(await setup.make(true).resume(state));
    case 'expired':
      setup.clock.now = request.expiresAt + 45 * 60_000;
      return outcomeOf(await setup.make(true).resume(state, decisionsFor(row, request)));
    case 'replayed':
      await setup.make(true).resume(state, decisionsFor(row, request));
      return outcomeOf(await setup.make(true).resume(state, decisionsFor(row, request)));
    default:
      return outcomeOf(await setup.make(true).resume(state, decisionsFor(row, request)));
  }
}

describe('the decision table through agent.run and agent.resume', () => {
  it.each(DECISION_TABLE.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    expect(await throughRun(row)).toBe(row.expect);
    if (!row.handlerOnly) expect(await throughResume(row)).toBe(row.expect);
  });
});
