/**
 * Scope matching. Scopes are colon-separated segments (`email:read`, `slack:write:#ops`).
 * A grant pattern may use `*` as a whole last segment, matching one or more remaining segments
 * (`email:*` grants `email:read` and `email:send`), or inside a segment as a glob (`deploy:staging-*`).
 * Tool scopes may hold `{field}` placeholders filled from the tool's input at call time.
 */

const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;
/** Stands in for a placeholder value that cannot be used; a scope holding it is matched by no grant, wildcards included. */
const INVALID = '\u0000invalid';

function segmentMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(value);
}

/** True when the grant pattern covers the concrete scope. */
export function scopeMatches(grant: string, scope: string): boolean {
  if (scope.includes(INVALID)) return false;
  const g = grant.split(':');
  const s = scope.split(':');
  for (let i = 0; i < g.length; i++) {
    const pattern = g[i]!;
    if (pattern === '*' && i === g.length - 1) return s.length >= g.length;
    const value = s[i];
    if (value === undefined || !segmentMatches(pattern, value)) return false;
  }
  return g.length === s.length;
}

/** True when some grant could match the scope template for some value of its placeholders. */
export function scopeTemplateGrantable(grants: readonly string[], template: string): boolean {
  if (!template.includes('{')) return grants.some((g) => scopeMatches(g, template));
  const t = template.split(':');
  return grants.some((grant) => {
    const g = grant.split(':');
    for (let i = 0; i < Math.max(g.length, t.length); i++) {
      const pattern = g[i];
      const segment = t[i];
      if (pattern === '*' && i === g.length - 1) return true;
      if (pattern === undefined || segment === undefined) return false;
      if (segment.includes('{')) continue;
      if (!segmentMatches(pattern, segment)) return false;
    }
    return true;
  });
}

/** Placeholder names used by a scope template, e.g. `['environment']` for `deploy:{environment}`. */
export function scopePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * Fills `{field}` placeholders from a validated input. A value that is missing, not a string, or holds a
 * colon or wildcard is replaced by a marker no grant matches, so it can never widen what is allowed.
 */
export function resolveScope(template: string, input: unknown): string {
  return template.replace(PLACEHOLDER, (_, field: string) => {
    const value =
      input !== null && typeof input === 'object' && Object.hasOwn(input, field)
        ? (input as Record<string, unknown>)[field]
        : undefined;
    return typeof value === 'string' && value !== '' && !/[:*\s]/.test(value) ? value : INVALID;
  });
}

/** Scopes from `required` that no grant covers, after filling placeholders from `input`. */
export function missingScopes(grants: readonly string[], required: readonly string[], input: unknown): string[] {
  return required
    .map((template) => resolveScope(template, input))
    .filter((scope) => !grants.some((g) => scopeMatches(g, scope)));
}

/** True when a declared scope (possibly a template) covers a used scope (possibly a template). */
export function declaredScopeCovers(declared: string, used: string): boolean {
  return declared === used || scopeMatches(declared, used.replace(PLACEHOLDER, 'x'));
}
