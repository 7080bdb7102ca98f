import { hashValue } from '../internal/canonical-json';
import type { Tool } from '../tools/define-tool';
import type { TimeLimitedGrant } from './approval';
import type { Environment } from './principal';
import { extractLinks } from './untrusted-content';

/**
 * The values of a call's sensitive input fields (see `ToolSpec.sensitiveInputs`): recipients, channels,
 * environments, refs. Every field of `external` and `deploy` tools unless the tool lists them; none of `read` and
 * `write` tools unless listed. Undefined when the call has none.
 */
export function sensitivePart(tool: Pick<Tool, 'effect' | 'sensitiveInputs'>, input: unknown): unknown {
  const fields = tool.sensitiveInputs ?? (tool.effect === 'external' || tool.effect === 'deploy' ? undefined : []);
  if (fields === undefined) return input;
  if (fields.length === 0 || input === null || typeof input !== 'object') return undefined;
  const record = input as Record<string, unknown>;
  const present = fields.filter((field) => Object.hasOwn(record, field));
  return present.length === 0 ? undefined : Object.fromEntries(present.map((field) => [field, record[field]]));
}

/**
 * What is checked for untrusted influence: the sensitive inputs, plus the links (URLs, hosts, email addresses) in the
 * fields listed in `ToolSpec.linkInputs` (structured fields such as Block Kit blocks are read as their JSON text).
 */
export function influenceCheckedPart(tool: Pick<Tool, 'effect' | 'sensitiveInputs' | 'linkInputs'>, input: unknown): unknown {
  const fields = sensitivePart(tool, input);
  if (!tool.linkInputs || input === null || typeof input !== 'object') return fields;
  const record = input as Record<string, unknown>;
  const links = tool.linkInputs.flatMap((field) => {
    if (!Object.hasOwn(record, field) || record[field] === undefined) return [];
    const value = record[field];
    return extractLinks(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  });
  return links.length === 0 ? fields : [fields, links];
}

/** SHA-256 of a call's sensitive inputs: a time-limited grant made from an approval covers only this value. */
export function sensitiveInputHash(tool: Pick<Tool, 'effect' | 'sensitiveInputs'>, input: unknown): string {
  return hashValue(sensitivePart(tool, input) ?? null);
}

const NO_SENSITIVE_INPUT = hashValue(null);

/** What a time-limited grant is matched against. */
export interface GrantedCall {
  principalId: string;
  toolName: string;
  environment: Environment;
  input: unknown;
  /** {@link sensitiveInputHash} of the call. */
  sensitiveInputHash: string;
  now: number;
}

/**
 * True when the grant covers the call: same principal, tool and environment, still valid by the clock, matching
 * `inputMatch`, and made for the same sensitive inputs. A grant without `sensitiveInputHash` (made by hand or by an
 * older release) covers only calls that have no sensitive inputs.
 */
export function grantCovers(grant: TimeLimitedGrant, call: GrantedCall): boolean {
  if (grant.principalId !== call.principalId || grant.toolName !== call.toolName || grant.environment !== call.environment) return false;
  if (!(grant.grantedAt <= call.now && call.now < grant.expiresAt)) return false;
  const input = (call.input ?? {}) as Record<string, unknown>;
  if (!Object.entries(grant.inputMatch ?? {}).every(([field, value]) => Object.hasOwn(input, field) && input[field] === value)) return false;
  return (grant.sensitiveInputHash ?? NO_SENSITIVE_INPUT) === call.sensitiveInputHash;
}
