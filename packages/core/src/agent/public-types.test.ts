import { describe, expectTypeOf, it } from 'vitest';
import type { ClawError, ErrorCode, StoreError } from '../errors';
import type { ApprovalRequest } from '../policy/approval';
import type { ToolCallDecision } from '../policy/decide-tool-call';
import type { DirectToolCallResult } from './call-tool';
import type { RunResult, ToolCallResult } from './run-result';
import type { RunState, SuspendedToolCall } from './run-state';

// Checked by `pnpm typecheck`: the unions narrow without `!`.
describe('public result types', () => {
  it('narrow by their discriminant', () => {
    expectTypeOf<Extract<RunResult, { stopReason: 'suspended' }>['pending']>().toEqualTypeOf<ApprovalRequest[]>();
    expectTypeOf<Extract<RunResult, { stopReason: 'suspended' }>['state']>().toEqualTypeOf<RunState>();
    expectTypeOf<Extract<RunResult, { stopReason: 'aborted' | 'budget' | 'error' }>['error']>().toEqualTypeOf<ClawError>();
    expectTypeOf<Extract<RunResult, { stopReason: 'store_error' }>['error']>().toEqualTypeOf<StoreError>();
    expectTypeOf<Extract<SuspendedToolCall, { status: 'awaiting_approval' }>['request']>().toEqualTypeOf<ApprovalRequest>();
    expectTypeOf<ToolCallResult['errorCode']>().toEqualTypeOf<ErrorCode | undefined>();
    expectTypeOf<Extract<DirectToolCallResult, { status: 'awaiting_approval' }>['request']>().toEqualTypeOf<ApprovalRequest>();
    expectTypeOf<ToolCallDecision['type']>().toEqualTypeOf<'reject' | 'preview' | 'needs-approval' | 'execute'>();
    expectTypeOf<RunState['version']>().toEqualTypeOf<2>();
  });
});
