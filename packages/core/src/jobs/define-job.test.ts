import { describe, expect, it } from 'vitest';
import { ClawError, InvalidArgumentError, JobDefinitionError } from '../errors';
import { assertUniqueJobNames, defineJob, jobLookup, type JobSpec } from './define-job';
import { scheduleJobs } from './schedule-jobs';
import { jobIdempotencyKey, nextTickAfter } from './job-tick';

const run = async () => undefined;

function definitionError(spec: Partial<JobSpec>): JobDefinitionError {
  try {
    defineJob({ name: 'triage', cron: '0 7 * * *', run, ...spec } as JobSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(JobDefinitionError);
    expect((error as ClawError).code).toBe('JOB_DEFINITION');
    return error as JobDefinitionError;
  }
  throw new Error('defineJob accepted the spec');
}

describe('defineJob', () => {
  it('fails at definition on an invalid cron pattern, naming the pattern and the fix', () => {
    expect(definitionError({ cron: 'every morning' }).message).toMatch(/"every morning".*5 fields/);
    expect(definitionError({ cron: '61 7 * * *' }).message).toContain('invalid cron pattern');
  });

  it('fails at definition on an unknown time zone', () => {
    expect(definitionError({ timezone: 'Europe/Atlantis' }).message).toMatch(/unknown time zone "Europe\/Atlantis".*IANA/);
  });

  it('fails on bad names, schedules, triggers and functions', () => {
    definitionError({ name: 'Morning Triage' });
    definitionError({ cron: undefined });
    definitionError({ every: 1000 });
    definitionError({ cron: undefined, every: 0.5 });
    definitionError({ trigger: 'user' as never });
    definitionError({ run: 'nope' as never });
    definitionError({ when: true as never });
    definitionError({ principals: [{ id: '' }] });
    definitionError({ retries: -1 });
  });

  it('refuses a job name used twice, both when listing jobs and when scheduling them', () => {
    const a = defineJob({ name: 'triage', cron: '0 7 * * *', run });
    const b = defineJob({ name: 'triage', every: 60_000, run });
    expect(() => assertUniqueJobNames([a, b])).toThrow(/Two jobs are named "triage"/);
    expect(() => scheduleJobs([a, b])).toThrow(JobDefinitionError);
  });

  it('looks jobs up by name, and an unknown name is an invalid argument listing the jobs there are', async () => {
    const triage = defineJob({ name: 'triage', cron: '0 7 * * *', run });
    const dream = defineJob({ name: 'dream', every: 60_000, run });
    expect(jobLookup([triage, dream])('dream')).toBe(dream);
    const scheduler = scheduleJobs([triage, dream]);
    try {
      expect(() => scheduler.nextRun('triag')).toThrow(InvalidArgumentError);
      expect(() => scheduler.isRunning('triag')).toThrow('No job named "triag" runs on this scheduler; its jobs: triage, dream.');
    } finally {
      await scheduler.stop();
    }
  });

  it('defaults to UTC, trigger schedule and 2 retries', () => {
    const job = defineJob({ name: 'watch', every: 60_000, run });
    expect(job).toMatchObject({ kind: 'claw.job', timezone: 'UTC', trigger: 'schedule', retries: 2 });
    expect(Object.isFrozen(job)).toBe(true);
  });
});

describe('ticks', () => {
  it('intervals fall on multiples of `every`, so every replica computes the same ticks', () => {
    const job = defineJob({ name: 'watch', every: 60_000, run });
    expect(nextTickAfter(job, Date.UTC(2026, 0, 1, 10, 0, 30))).toBe(Date.UTC(2026, 0, 1, 10, 1));
    expect(nextTickAfter(job, Date.UTC(2026, 0, 1, 10, 1))).toBe(Date.UTC(2026, 0, 1, 10, 2));
  });

  it('the idempotency key names job, principal and scheduled tick', () => {
    const tick = Date.UTC(2026, 2, 29, 5);
    expect(jobIdempotencyKey('triage', 'priya', tick)).toBe('triage:priya:2026-03-29T05:00:00.000Z');
    expect(jobIdempotencyKey('triage', 'a:b', tick)).not.toBe(jobIdempotencyKey('triage:a', 'b', tick));
    expect(jobIdempotencyKey('cleanup', undefined, tick)).toBe('cleanup:-:2026-03-29T05:00:00.000Z');
  });
});
