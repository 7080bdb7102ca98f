import { InvalidArgumentError } from '../errors';
import { assertMemoryScopes, isMemoryScope } from './memory-scopes';
import type { MemoryItem, MemoryKind, MemoryPatch, MemorySource, NewMemoryItem, RecallOptions } from './memory-store';

/** Every memory kind, in the order docs list them. */
export const MEMORY_KINDS: readonly MemoryKind[] = ['episode', 'fact', 'preference'];

const TRUST: readonly MemorySource['trust'][] = ['user', 'agent', 'untrusted'];

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
 * Checks a memory before a store writes it. Stores call it so that every store accepts and rejects the same input.
 * @throws InvalidArgumentError naming the first field that is wrong.
 */
export function validateNewMemoryItem(item: NewMemoryItem): void {
  if (!isPlainObject(item)) throw new InvalidArgumentError('remember() needs a memory object: { text, kind, scope, source }.');
  if (typeof item.text !== 'string' || item.text.trim() === '') {
    throw new InvalidArgumentError('A memory needs non-empty "text".');
  }
  if (!MEMORY_KINDS.includes(item.kind)) {
    throw new InvalidArgumentError(`Memory kind ${JSON.stringify(item.kind)} is unknown; use one of ${MEMORY_KINDS.join(', ')}.`);
  }
  if (!isMemoryScope(item.scope)) {
    throw new InvalidArgumentError(
      `Memory scope ${JSON.stringify(item.scope)} is invalid; use "principal:<id>", "team:<name>" or "shared".`,
    );
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

/**
 * Checks a patch before a store applies it.
 * @throws InvalidArgumentError when the text is empty or the metadata is not a JSON-serialisable plain object.
 */
export function validateMemoryPatch(patch: MemoryPatch): void {
  if (!isPlainObject(patch)) throw new InvalidArgumentError('update() needs a patch object: { text?, metadata? }.');
  if (patch.text !== undefined && (typeof patch.text !== 'string' || patch.text.trim() === '')) {
    throw new InvalidArgumentError('A memory patch "text" must be non-empty.');
  }
  if (patch.metadata !== undefined) assertJsonMetadata(patch.metadata);
}

/**
 * Applies a metadata patch the way every store must: a shallow merge where a key set to `null` is removed.
 * (So a caller can clear a key through JSON, which has no `undefined`.)
 */
export function mergeMemoryMetadata(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** A deep copy of metadata (cheap for the common empty object). */
export function copyMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  for (const _key in metadata) return structuredClone(metadata);
  return {};
}

/** A deep copy of a memory, so callers can never mutate what a store holds. */
export function cloneMemoryItem(item: MemoryItem): MemoryItem {
  const source: MemorySource = { ...item.source };
  if (item.source.derivedFrom) source.derivedFrom = [...item.source.derivedFrom];
  return { ...item, source, metadata: copyMetadata(item.metadata) };
}

/**
 * Checks the `kinds` filter of recall and list.
 * @throws InvalidArgumentError when it is not an array of known kinds.
 */
export function assertMemoryKinds(kinds: unknown): asserts kinds is readonly MemoryKind[] | undefined {
  if (kinds === undefined) return;
  if (!Array.isArray(kinds) || kinds.some((kind) => !MEMORY_KINDS.includes(kind))) {
    throw new InvalidArgumentError(`"kinds" must be an array of ${MEMORY_KINDS.join(', ')}.`);
  }
}

/**
 * Checks a recall's query and options the same way in every store, and returns `k` (default 5) and `maxTokens`.
 * @throws InvalidArgumentError for missing scopes, unknown kinds, a non-string query, a bad `k` or `maxTokens`.
 */
export function validateRecall(query: unknown, options: RecallOptions): { k: number; maxTokens: number | undefined } {
  assertMemoryScopes(options?.scopes, 'recall');
  assertMemoryKinds(options.kinds);
  if (typeof query !== 'string') throw new InvalidArgumentError('recall() needs a query string.');
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`recall "k" must be a positive integer, got ${k}.`);
  const maxTokens = options.maxTokens;
  if (maxTokens !== undefined && !(Number.isFinite(maxTokens) && maxTokens >= 0)) {
    throw new InvalidArgumentError(`recall "maxTokens" must be a non-negative number, got ${maxTokens}.`);
  }
  return { k, maxTokens };
}
