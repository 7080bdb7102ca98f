/** Patterns of secrets removed from anything stored or emitted (audit entries, alerts, approval requests). */
export const DEFAULT_SECRET_PATTERNS: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{10,}/g,
  /sk-(?:proj-)?[A-Za-z0-9_-]{16,}/g,
  /xox[abposr]-[A-Za-z0-9-]{10,}/g,
  /gh[pousr]_[A-Za-z0-9]{20,}/g,
  /github_pat_[A-Za-z0-9_]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  // AWS secret access keys: 40 characters of base64 mixing upper case, lower case and digits (a hex digest or a
  // word never has all three), standing alone.
  /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
  // Stripe secret, restricted and webhook keys.
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g,
  /\bwhsec_[A-Za-z0-9]{16,}/g,
  // Google API keys.
  /\bAIza[0-9A-Za-z_-]{35}/g,
  // JSON Web Tokens (header.payload.signature, base64url; the signature may be empty for alg "none").
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  // The password of a URL with credentials (postgres://user:secret@host): the user and host stay readable.
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+(?=@)/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b[Bb]earer\s+[A-Za-z0-9._~+/=-]{16,}/g,
  /\b(?:password|passwd|pwd|secret|token|api[_-]?key)\s*[:=]\s*[^\s,;"']{4,}/gi,
];

/** Object keys whose values are always redacted, whatever they look like. */
export const DEFAULT_SECRET_KEYS = /^(?:password|passwd|secret|token|access[_-]?token|refresh[_-]?token|api[_-]?key|apikey|authorization|client[_-]?secret|private[_-]?key)$/i;

/** Replacement text for a redacted secret. */
export const REDACTED = '[REDACTED]';

/** Options for {@link redactSecrets}. */
export interface RedactionOptions {
  patterns?: readonly RegExp[];
  keys?: RegExp;
}

/** Removes secrets from a string. */
export function redactText(text: string, patterns: readonly RegExp[] = DEFAULT_SECRET_PATTERNS): string {
  let out = text;
  for (const pattern of patterns) out = out.replace(pattern, REDACTED);
  return out;
}

/** Deep copy of a JSON-like value with secret-looking strings and secret-named keys redacted. */
export function redactSecrets<T>(value: T, options: RedactionOptions = {}): T {
  const patterns = options.patterns ?? DEFAULT_SECRET_PATTERNS;
  const keys = options.keys ?? DEFAULT_SECRET_KEYS;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, patterns);
    if (depth > 32 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = keys.test(k) && item !== undefined && item !== null ? REDACTED : walk(item, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}
