/** One place tests import the package and core from, so test files stay short. */
export * from '../../src';
export { InvalidArgumentError, AbortedError, PolicyDeniedError, PermissionDeniedError, StoreError } from '@claw/core';
