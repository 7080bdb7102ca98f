import { DeployTargetError } from '../errors';

/**
 * Environment names: lower-case letters, digits and dashes, starting with a letter. They end up in scopes
 * (`deploy:production`), in argv and in paths, so nothing else is allowed.
 */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Branch, tag and commit names a deploy accepts. A leading dash is refused because a deploy CLI would read it as
 * an option; `..` and `@{` because git would read them as a range or a reflog expression.
 */
export const REF_NAME = /^(?!-)(?!.*\.\.)(?!.*@\{)[A-Za-z0-9._/@+-]{1,200}$/;

/** A full or abbreviated commit sha. */
export const COMMIT_SHA = /^[0-9a-f]{7,40}$/;

/**
 * @throws DeployTargetError kind `invalid_request` when `environment` or `ref` is not a safe name.
 */
export function assertSafeNames(target: string, environment: string, ref?: string): void {
  if (!ENVIRONMENT_NAME.test(environment)) {
    throw new DeployTargetError({
      target,
      kind: 'invalid_request',
      message: `Environment name ${JSON.stringify(environment)} is invalid: use lower-case letters, digits and dashes.`,
    });
  }
  if (ref !== undefined && !REF_NAME.test(ref)) {
    throw new DeployTargetError({
      target,
      kind: 'invalid_request',
      message: `Ref ${JSON.stringify(ref)} is not a branch, tag or commit name a deploy accepts (no leading dash, no "..", no spaces).`,
    });
  }
}

/**
 * @throws DeployTargetError kind `invalid_request` when `sha` is not a 7-40 character lower-case hex commit sha.
 */
export function assertSha(target: string, sha: string): void {
  if (!COMMIT_SHA.test(sha)) {
    throw new DeployTargetError({
      target,
      kind: 'invalid_request',
      message: `${JSON.stringify(sha)} is not a commit sha: use 7 to 40 lower-case hex characters, as deploy_history shows them.`,
    });
  }
}
