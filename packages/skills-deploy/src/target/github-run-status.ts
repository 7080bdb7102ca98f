import type { DeploymentStatus } from './deploy-target';

/** The fields of a GitHub workflow run this package reads. */
export interface WorkflowRun {
  id: number;
  workflow_id: number;
  path?: string;
  status: string | null;
  conclusion: string | null;
  head_branch: string | null;
  head_sha: string;
  run_attempt?: number;
  created_at: string;
  updated_at: string;
  run_started_at?: string;
  html_url: string;
  display_title?: string;
}

/** The fields of a GitHub workflow job this package reads. */
export interface WorkflowJob {
  name: string;
  status: string;
  conclusion: string | null;
  steps?: { name: string; status: string; conclusion: string | null }[];
}

/**
 * Maps GitHub's `status` and `conclusion` of a run, job or step to a deployment status. Live statuses
 * (`queued`, `requested`, `waiting` for an environment approval, `pending`) are `queued`; a completed one
 * becomes its conclusion. A `neutral` conclusion counts as success, as GitHub's checks do.
 */
export function runStatus(
  item: { status: string | null; conclusion: string | null },
  jobs?: readonly WorkflowJob[],
): { status: DeploymentStatus | 'skipped'; reason?: string } {
  if (item.status === 'in_progress') return { status: 'in_progress' };
  if (item.status !== 'completed') return { status: 'queued' };
  switch (item.conclusion) {
    case 'success':
    case 'neutral':
      return { status: 'succeeded' };
    case 'cancelled':
      return { status: 'cancelled', reason: 'the workflow run was cancelled' };
    case 'timed_out':
      return { status: 'timed_out', reason: 'the workflow run hit its time limit' };
    case 'skipped':
      return { status: 'skipped' };
    default:
      return { status: 'failed', reason: failureReason(item.conclusion, jobs) };
  }
}

function failureReason(conclusion: string | null, jobs: readonly WorkflowJob[] | undefined): string {
  const failed = (jobs ?? []).filter((job) => job.conclusion === 'failure' || job.conclusion === 'timed_out');
  if (failed.length === 0) return `the workflow run concluded ${conclusion ?? 'without a conclusion'}`;
  return failed
    .map((job) => {
      const step = job.steps?.find((s) => s.conclusion === 'failure');
      return step ? `job "${job.name}" failed at step "${step.name}"` : `job "${job.name}" failed`;
    })
    .join('; ');
}
