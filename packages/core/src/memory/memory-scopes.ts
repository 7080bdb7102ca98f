import { InvalidArgumentError } from '../errors';
import type { Principal } from '../policy/principal';
import type { MemoryScope } from './memory-store';

const SCOPE = /^(?:principal:[^\s:][^\s]*|team:[^\s:][^\s]*|shared)$/;

/**
 * The scopes a principal may read and write memories in: their own (`principal:<id>`), their team's
 * (`team:<team>`, when they have one) and `shared`, in that order.
 * @throws InvalidArgumentError when the principal has no id.
 */
export function memoryScopesFor(principal: Principal): MemoryScope[] {
  if (typeof principal?.id !== 'string' || principal.id.trim() === '') {
    throw new InvalidArgumentError('memoryScopesFor needs a principal with a non-empty id.');
  }
  const scopes: MemoryScope[] = [`principal:${principal.id}`];
  if (principal.team) scopes.push(`team:${principal.team}`);
  scopes.push('shared');
  return scopes;
}

/** The principal's own scope, where its episodes and consolidated facts live. */
export function principalScope(principal: Principal): MemoryScope {
  return memoryScopesFor(principal)[0]!;
}

/** True for `principal:<id>`, `team:<name>` (non-empty, no whitespace) and `shared`. */
export function isMemoryScope(value: unknown): value is MemoryScope {
  return typeof value === 'string' && SCOPE.test(value);
}

/**
 * Checks the scopes a store operation was given. Stores call it first, so that a missing scope list can never
 * be read as "everything".
 * @throws InvalidArgumentError when `scopes` is not a non-empty array of valid scopes.
 */
export function assertMemoryScopes(scopes: unknown, operation: string): asserts scopes is readonly MemoryScope[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new InvalidArgumentError(
      `Memory ${operation} needs a non-empty array of scopes (e.g. memoryScopesFor(principal)); there is no "all scopes" access.`,
    );
  }
  const bad = scopes.find((scope) => !isMemoryScope(scope));
  if (bad !== undefined) {
    throw new InvalidArgumentError(
      `Memory ${operation} was given the scope ${JSON.stringify(bad)}; use "principal:<id>", "team:<name>" or "shared".`,
    );
  }
}
