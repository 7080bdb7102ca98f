import { describe, expect, it } from 'vitest';
import { effectFromAnnotations, importedToolEffect } from './imported-tool-effect';

describe('importedToolEffect', () => {
  it('reads absent hints as the protocol defaults: unannotated tools act outside', () => {
    expect(effectFromAnnotations(undefined)).toBe('external');
    expect(effectFromAnnotations({ readOnlyHint: true })).toBe('read');
    expect(effectFromAnnotations({ openWorldHint: false })).toBe('write');
    expect(effectFromAnnotations({ destructiveHint: false })).toBe('external');
  });

  it.each([
    // annotations, operator, expected
    [undefined, {}, 'external'],
    [{ readOnlyHint: true }, {}, 'external'],
    [{ readOnlyHint: true }, { trustAnnotations: true }, 'read'],
    [{ openWorldHint: false }, { trustAnnotations: true }, 'write'],
    [{ readOnlyHint: true }, { effect: 'write' }, 'write'],
    [undefined, { effect: 'read' }, 'external'],
    [{ readOnlyHint: true }, { effect: 'read' }, 'read'],
    [{ openWorldHint: false }, { effect: 'read' }, 'write'],
    [{ readOnlyHint: true }, { effect: 'deploy' }, 'deploy'],
  ] as const)('annotations %j with operator %j → %s', (annotations, operator, expected) => {
    expect(importedToolEffect(annotations, operator)).toBe(expected);
  });
});
