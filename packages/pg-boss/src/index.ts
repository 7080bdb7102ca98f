/**
 * @claw/pg-boss — run Claw background jobs (`defineJob`) on pg-boss over PostgreSQL, across any number of
 * replicas: each (job, principal, tick) runs once, crashed runs are retried elsewhere with the same idempotency key.
 * @packageDocumentation
 */
export { startPgBossJobs, type PgBossJobsOptions, type PgBossJobScheduler } from './start-pg-boss-jobs';
export { PostgresJobHistory } from './postgres-job-history';
export { deterministicJobId, tickQueue, runQueue } from './job-ids';
