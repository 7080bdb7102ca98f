/** One note. */
export interface {{Name}}Note {
  id: string;
  text: string;
  author: string;
  at: number;
}

/** Options every backend call takes: pass `signal` to every request you make. */
export interface {{Name}}CallOptions {
  signal?: AbortSignal;
}

/**
 * The system the skill works on. Implement it over your real system; `InMemory{{Name}}` implements it for tests and
 * demos. Methods throw `{{Name}}Error` and `AbortedError` from `@claw/core` when the signal fires.
 */
export interface {{Name}}Backend {
  search(text: string, limit: number, options?: {{Name}}CallOptions): Promise<{{Name}}Note[]>;
  add(note: { text: string; author: string }, options?: {{Name}}CallOptions): Promise<{{Name}}Note>;
}

/** True for an object with the backend's methods (the skill's config check). */
export function is{{Name}}Backend(value: unknown): value is {{Name}}Backend {
  if (value === null || typeof value !== 'object') return false;
  const backend = value as Record<string, unknown>;
  return ['search', 'add'].every((method) => typeof backend[method] === 'function');
}
