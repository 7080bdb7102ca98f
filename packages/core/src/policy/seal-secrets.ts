import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { AuditKey } from './audit-key';
import { auditMac } from './audit-key';
import { DEFAULT_SECRET_KEYS, DEFAULT_SECRET_PATTERNS, type RedactionOptions } from './redact';

/**
 * Keeps secrets out of stored state without losing them: each secret found by the redaction patterns (and each
 * value under a secret-named key) is replaced by an AES-256-GCM ciphertext under a key derived from the host's
 * secret. Stores that must give back exactly what they were given (suspended run states) seal on save and unseal on
 * load, so a resumed run is identical while the database holds no secret in clear.
 */
export interface SecretSealer {
  /** A deep copy with every secret replaced by a sealed token. */
  seal<T>(value: T): T;
  /** A deep copy with every sealed token made with this key restored; other text is left as it is. */
  unseal<T>(value: T): T;
}

const TOKEN = /\[SEALED:v1:([A-Za-z0-9_-]{24,})\]/g;
const WHOLE_VALUE = /^\[SEALED-JSON:v1:([A-Za-z0-9_-]{24,})\]$/;

/**
 * A {@link SecretSealer} under the host secret (the same one the audit log uses; the keys derived for each use are
 * unrelated).
 * @throws InvalidArgumentError for a key shorter than 32 bytes.
 */
export function secretSealer(key: AuditKey, options: RedactionOptions = {}): SecretSealer {
  auditMac(key); // validates the key the same way
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  const aesKey = Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), 'claw-secret-seal/v1', 32));
  const patterns = options.patterns ?? DEFAULT_SECRET_PATTERNS;
  const keys = options.keys ?? DEFAULT_SECRET_KEYS;

  const encrypt = (plain: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  };
  const decrypt = (token: string): string | undefined => {
    try {
      const raw = Buffer.from(token, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      // Not sealed with this key (or not a token at all): keep the text as it is.
      return undefined;
    }
  };
  const sealText = (text: string): string => {
    let out = text;
    for (const pattern of patterns) out = out.replace(pattern, (match) => `[SEALED:v1:${encrypt(match)}]`);
    return out;
  };
  const walk = (value: unknown, depth: number, text: (s: string) => string, whole: (k: string, v: unknown) => unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (depth > 64 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, text, whole));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      const replaced = whole(k, item);
      out[k] = replaced !== undefined ? replaced : walk(item, depth + 1, text, whole);
    }
    return out;
  };
  return {
    seal: <T>(value: T) =>
      walk(value, 0, sealText, (k, item) =>
        keys.test(k) && item !== undefined && item !== null ? `[SEALED-JSON:v1:${encrypt(JSON.stringify(item))}]` : undefined,
      ) as T,
    unseal: <T>(value: T) =>
      walk(
        value,
        0,
        (text) => text.replace(TOKEN, (match, token: string) => decrypt(token) ?? match),
        (_k, item) => {
          if (typeof item !== 'string') return undefined;
          const whole = WHOLE_VALUE.exec(item);
          const plain = whole ? decrypt(whole[1]!) : undefined;
          return plain === undefined ? undefined : JSON.parse(plain);
        },
      ) as T,
  };
}
