import { createHash } from 'node:crypto';

/**
 * A UUID derived from a name (SHA-256, version nibble 8): every replica computes the same id for the same tick
 * or (job, principal, tick), so pg-boss's `INSERT … ON CONFLICT DO NOTHING` on its primary key keeps exactly one.
 */
export function deterministicJobId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The pg-boss queue that receives a job's ticks (one per due time). */
export function tickQueue(job: string): string {
  return `claw-tick-${job}`;
}

/** The pg-boss queue that receives a job's runs (one per principal and tick). */
export function runQueue(job: string): string {
  return `claw-run-${job}`;
}
