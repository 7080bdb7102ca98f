import type { ToolContext } from '@claw/core';
import { z } from 'zod';

/** The optional key input of tools that start deployments. */
export const idempotencyKeyInput = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, '8-128 characters of letters, digits, ".", "_", ":" and "-"')
  .optional()
  .describe('Only to deploy the same thing again on purpose: a new key starts a new deployment');

/**
 * The key of a request without one: the run and what is asked. A repeated or retried call in the same run
 * (a timeout, a resumed approval, a model that asks twice) returns the deployment the first call started.
 */
export function defaultIdempotencyKey(ctx: ToolContext, operation: 'deploy' | 'rollback', environment: string, what: string): string {
  return `claw:${ctx.runId}:${operation}:${environment}:${what}`;
}
