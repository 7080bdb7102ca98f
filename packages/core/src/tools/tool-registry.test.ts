import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DuplicateToolError, ToolDefinitionError } from '../errors';
import { defineTool } from './define-tool';
import { ToolRegistry, validateToolInput } from './tool-registry';

const lookup = defineTool({
  name: 'ticket_lookup',
  description: 'Find a ticket by id',
  input: z.object({ id: z.string().min(3).describe('Ticket id'), verbose: z.boolean().optional() }),
  scopes: ['tickets:read'],
  effect: 'read',
  execute: ({ id }) => ({ id }),
});

describe('ToolRegistry', () => {
  it('finds only own tools: prototype names resolve to nothing', () => {
    const registry = new ToolRegistry();
    registry.register(lookup);
    expect(registry.resolve('ticket_lookup')?.tool).toBe(lookup);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '']) {
      expect(registry.resolve(name)).toBeUndefined();
    }
    expect(registry.resolve(42)).toBeUndefined();
    expect(registry.resolve(undefined)).toBeUndefined();
  });

  it('refuses a second tool with the same name', () => {
    const registry = new ToolRegistry();
    registry.register(lookup);
    expect(() => registry.register(lookup)).toThrow(DuplicateToolError);
  });

  it('exports each tool input as JSON Schema with descriptions and required fields', () => {
    const registry = new ToolRegistry();
    registry.register(lookup);
    const [spec] = registry.modelSpecs([lookup]);
    expect(spec).toEqual({
      name: 'ticket_lookup',
      description: 'Find a ticket by id',
      inputSchema: {
        type: 'object',
        properties: { id: { type: 'string', minLength: 3, description: 'Ticket id' }, verbose: { type: 'boolean' } },
        required: ['id'],
      },
    });
  });

  it('turns invalid input into a ToolInputError naming each bad field', () => {
    const result = validateToolInput(lookup, { id: 7 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.code).toBe('TOOL_INPUT');
    expect(result.error.issues[0]?.path).toBe('id');
    expect(result.error.message).toContain('Call the tool again');
  });
});

describe('defineTool', () => {
  const base = { description: 'd', input: z.object({}), scopes: [], unscoped: true, effect: 'read' as const, execute: () => 1 };
  it.each(['Bad', '1abc', 'with-dash', 'a'.repeat(65), ''])('rejects the name %j', (name) => {
    expect(() => defineTool({ ...base, name })).toThrow(ToolDefinitionError);
  });
  it('rejects an unknown effect, a missing schema and a bad timeout', () => {
    expect(() => defineTool({ ...base, name: 'x', effect: 'delete' as never })).toThrow(/effect/);
    expect(() => defineTool({ ...base, name: 'x', input: {} as never })).toThrow(/zod schema/);
    expect(() => defineTool({ ...base, name: 'x', timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
  it('denies by default: a tool must declare a scope unless it is a read-only helper marked unscoped', () => {
    const { unscoped: _u, ...noScopes } = base;
    expect(() => defineTool({ ...noScopes, name: 'x' })).toThrow(/declares no scopes/);
    expect(() => defineTool({ ...noScopes, name: 'x', effect: 'write', unscoped: true })).toThrow(/declares no scopes/);
    expect(() => defineTool({ ...noScopes, name: 'x', scopes: ['x:use'], unscoped: true })).toThrow(/unscoped but declares/);
    expect(defineTool({ ...base, name: 'x' }).unscoped).toBe(true);
  });
});
