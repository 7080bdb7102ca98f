import type { Deployment, Release } from '../target/deploy-target';

/** A deployment as tools return it to the model: ISO times, short log. */
export interface DeploymentView {
  id: string;
  environment: string;
  kind: Deployment['kind'];
  ref: string;
  sha?: string;
  status: Deployment['status'];
  requestedBy?: string;
  requestReason?: string;
  startedAt: string;
  finishedAt?: string;
  reason?: string;
  url?: string;
  steps?: Deployment['steps'];
  log?: string;
}

/** The last this-many characters of a log are shown to the model; the target keeps more. */
const LOG_CHARS = 2_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** Shapes a deployment for a tool result; `withLog` adds the end of its output. */
export function presentDeployment(d: Deployment, options: { withLog?: boolean } = {}): DeploymentView {
  return {
    id: d.id,
    environment: d.environment,
    kind: d.kind,
    ref: d.ref,
    ...(d.sha ? { sha: d.sha } : {}),
    status: d.status,
    ...(d.requestedBy ? { requestedBy: d.requestedBy } : {}),
    ...(d.requestReason ? { requestReason: d.requestReason } : {}),
    startedAt: iso(d.startedAt),
    ...(d.finishedAt !== undefined ? { finishedAt: iso(d.finishedAt) } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.url ? { url: d.url } : {}),
    ...(d.steps ? { steps: d.steps } : {}),
    ...(options.withLog && d.log ? { log: d.log.length > LOG_CHARS ? `…${d.log.slice(-LOG_CHARS)}` : d.log } : {}),
  };
}

/** Shapes a live release for a tool result. */
export function presentRelease(release: Release | undefined): { sha: string; ref?: string; deploymentId?: string; since?: string } | null {
  if (!release) return null;
  return {
    sha: release.sha,
    ...(release.ref ? { ref: release.ref } : {}),
    ...(release.deploymentId ? { deploymentId: release.deploymentId } : {}),
    ...(release.at !== undefined ? { since: iso(release.at) } : {}),
  };
}

/** A sha shortened for sentences. */
export const short = (sha: string | undefined) => (sha ? sha.slice(0, 7) : 'nothing');
