import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values always serialise (and hash) identically. */
export function canonicalJson(value: unknown): string {
  // Written out directly rather than by building a sorted copy for JSON.stringify: audit verification serialises
  // every entry of logs with millions of them. The output is exactly JSON.stringify of the key-sorted value.
  return write(value, true) as string;
}

function write(value: unknown, top: boolean): string | undefined {
  if (value === null || typeof value !== 'object') {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return top ? (undefined as never) : undefined;
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? ',' : ''}${write(value[i], false) ?? 'null'}`;
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const item = write((value as Record<string, unknown>)[key], false);
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${item}`;
    first = false;
  }
  return `${out}}`;
}

/** SHA-256 hex of the canonical JSON of a value. */
export function hashValue(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** SHA-256 hex of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
