import { DeployTargetError } from '../errors';

interface Claim {
  fingerprint: string;
  deploymentId: Promise<string>;
}

/**
 * Remembers which deployment each idempotency key started, so a retried request returns that deployment
 * instead of starting a second one. A key is claimed synchronously before any I/O, so two concurrent calls
 * with one key still start one deployment. A start that throws releases its key: nothing was started, so a
 * retry may try again.
 */
export class IdempotencyLedger {
  private readonly claims = new Map<string, Claim>();

  constructor(private readonly target: string) {}

  /**
   * Runs `start` unless the key was used before, and returns the deployment id with whether it already existed.
   * `fingerprint` describes the request (operation, environment, ref): reusing a key for a different request
   * is an error, not a silent dedupe.
   * @throws DeployTargetError kind `conflict` when the key was used for a different request; whatever `start` throws.
   */
  async once(key: string, fingerprint: string, start: () => Promise<string>): Promise<{ id: string; existing: boolean }> {
    const claim = this.claims.get(key);
    if (claim) {
      if (claim.fingerprint !== fingerprint) {
        throw new DeployTargetError({
          target: this.target,
          kind: 'conflict',
          message: `Idempotency key "${key}" was already used for a different request (${claim.fingerprint}). Use a new key for a new request.`,
        });
      }
      return { id: await claim.deploymentId, existing: true };
    }
    const deploymentId = start();
    this.claims.set(key, { fingerprint, deploymentId });
    try {
      return { id: await deploymentId, existing: false };
    } catch (error) {
      this.claims.delete(key);
      throw error;
    }
  }

  /** Records a key whose deployment is known from elsewhere (a state file, the backend's own list). */
  remember(key: string, fingerprint: string, deploymentId: string): void {
    if (!this.claims.has(key)) this.claims.set(key, { fingerprint, deploymentId: Promise.resolve(deploymentId) });
  }
}

/** The fingerprint of a request, for {@link IdempotencyLedger.once}. */
export function requestFingerprint(kind: 'deploy' | 'rollback', environment: string, ref: string | undefined): string {
  return `${kind} ${environment} ${ref ?? '(previous release)'}`;
}
