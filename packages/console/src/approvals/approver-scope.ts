import { canViewUsageOf, sameApprover, type ApprovalRequest } from '@claw/core';
import type { ConsoleDirectory } from '../org/org-chart';

/**
 * Whom the console offers a pending request to: someone above the requester in their management chain (the
 * chain that also sees their usage). The requester sees their own requests but never decides them here, however
 * their id is spelled (core's approver comparison).
 */
export async function mayDecide(directory: ConsoleDirectory, viewer: string, request: ApprovalRequest): Promise<boolean> {
  if (sameApprover(viewer, request.principal.id)) return false;
  return canViewUsageOf(directory, viewer, request.principal.id);
}
