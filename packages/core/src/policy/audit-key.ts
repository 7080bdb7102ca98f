import { createHmac, hkdfSync, type KeyObject, createSecretKey } from 'node:crypto';
import { InvalidArgumentError } from '../errors';

/**
 * A secret the host keeps outside every database (an environment variable, a secret manager, a KMS-unwrapped
 * key): at least 32 bytes, e.g. `openssl rand -base64 32`. The audit log seals entries and signs checkpoints with
 * a key derived from it, so someone who can write to the database but does not hold it can neither re-seal an
 * edited entry nor forge a chain. A string is used as its UTF-8 bytes.
 */
export type AuditKey = string | Uint8Array;

/** A prepared MAC key: derived once, used for every entry. */
export interface AuditMac {
  /** HMAC-SHA-256 of the text, hex. */
  sign(text: string): string;
}

const MIN_KEY_BYTES = 32;

/**
 * Derives the audit MAC key from a host secret (HKDF-SHA-256, purpose-bound so the same secret can serve other
 * uses without the keys being related).
 * @throws InvalidArgumentError when the key is shorter than 32 bytes or not a string / byte array.
 */
export function auditMac(key: AuditKey, purpose = 'claw-audit-log/v1'): AuditMac {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key instanceof Uint8Array ? key : undefined;
  if (!bytes || bytes.length < MIN_KEY_BYTES) {
    throw new InvalidArgumentError(
      `The audit key must be at least ${MIN_KEY_BYTES} bytes (got ${bytes ? bytes.length : typeof key}). Generate one with \`openssl rand -base64 32\` and keep it outside the database.`,
    );
  }
  const derived: KeyObject = createSecretKey(Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), purpose, 32)));
  return { sign: (text) => createHmac('sha256', derived).update(text).digest('hex') };
}
