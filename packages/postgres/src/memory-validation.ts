import { InvalidArgumentError, type MemoryKind, type MemoryPatch, type MemoryScope, type MemorySource, type NewMemoryItem } from '@claw/core';

/*
 * The same checks core's in-memory store applies, so every store accepts and rejects the same input.
 * (Core keeps its helpers internal; these mirror them.)
 */

const KINDS: readonly MemoryKind[] = ['episode', 'fact', 'preference'];
const TRUST: readonly MemorySource['trust'][] = ['user', 'agent', 'untrusted'];
const SCOPE = /^(?:principal:[^\s:][^\s]*|team:[^\s:][^\s]*|shared)$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function assertJsonMetadata(metadata: unknown): void {
  if (!isPlainObject(metadata)) throw new InvalidArgumentError('Memory metadata must be a plain object.');
  try {
    JSON.stringify(metadata);
  } catch (error) {
    throw new InvalidArgumentError(`Memory metadata must be JSON-serialisable: ${(error as Error).message}`);
  }
}

/**
 * Checks the scopes an operation was given; a missing list is never read as "everything".
 * @throws InvalidArgumentError when `scopes` is not an array of valid scopes (or is empty, unless allowed).
 */
export function assertScopes(scopes: unknown, operation: string, options: { allowEmpty?: boolean } = {}): MemoryScope[] {
  if (!Array.isArray(scopes) || (scopes.length === 0 && !options.allowEmpty)) {
    throw new InvalidArgumentError(
      `Memory ${operation} needs a non-empty array of scopes (e.g. memoryScopesFor(principal)); there is no "all scopes" access.`,
    );
  }
  const bad = scopes.find((scope) => typeof scope !== 'string' || !SCOPE.test(scope));
  if (bad !== undefined) {
    throw new InvalidArgumentError(`Memory ${operation} was given the scope ${JSON.stringify(bad)}; use "principal:<id>", "team:<name>" or "shared".`);
  }
  return [...scopes] as MemoryScope[];
}

/** @throws InvalidArgumentError when `kinds` is not an array of known kinds. */
export function assertKinds(kinds: unknown): void {
  if (kinds === undefined) return;
  if (!Array.isArray(kinds) || kinds.some((kind) => !KINDS.includes(kind))) {
    throw new InvalidArgumentError(`"kinds" must be an array of ${KINDS.join(', ')}.`);
  }
}

/** @throws InvalidArgumentError naming the first field of the memory that is wrong. */
export function validateNewMemory(item: NewMemoryItem): void {
  if (!isPlainObject(item)) throw new InvalidArgumentError('remember() needs a memory object: { text, kind, scope, source }.');
  if (typeof item.text !== 'string' || item.text.trim() === '') throw new InvalidArgumentError('A memory needs non-empty "text".');
  if (!KINDS.includes(item.kind)) throw new InvalidArgumentError(`Memory kind ${JSON.stringify(item.kind)} is unknown; use one of ${KINDS.join(', ')}.`);
  if (typeof item.scope !== 'string' || !SCOPE.test(item.scope)) {
    throw new InvalidArgumentError(`Memory scope ${JSON.stringify(item.scope)} is invalid; use "principal:<id>", "team:<name>" or "shared".`);
  }
  if (!isPlainObject(item.source) || !TRUST.includes(item.source.trust)) {
    throw new InvalidArgumentError(`A memory needs "source.trust": one of ${TRUST.join(', ')}.`);
  }
  const derivedFrom = item.source.derivedFrom;
  if (derivedFrom !== undefined && (!Array.isArray(derivedFrom) || derivedFrom.some((id) => typeof id !== 'string'))) {
    throw new InvalidArgumentError('"source.derivedFrom" must be an array of memory ids.');
  }
  if (item.createdAt !== undefined && !Number.isFinite(item.createdAt)) {
    throw new InvalidArgumentError('"createdAt" must be a finite number of milliseconds since the epoch.');
  }
  if (item.metadata !== undefined) assertJsonMetadata(item.metadata);
}

/** @throws InvalidArgumentError when the patch text is empty or its metadata is not a JSON-serialisable plain object. */
export function validatePatch(patch: MemoryPatch): void {
  if (!isPlainObject(patch)) throw new InvalidArgumentError('update() needs a patch object: { text?, metadata? }.');
  if (patch.text !== undefined && (typeof patch.text !== 'string' || patch.text.trim() === '')) {
    throw new InvalidArgumentError('A memory patch "text" must be non-empty.');
  }
  if (patch.metadata !== undefined) assertJsonMetadata(patch.metadata);
}

/** Shallow merge where a key set to `null` is removed (JSON has no `undefined` to clear a key with). */
export function mergeMetadata(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
