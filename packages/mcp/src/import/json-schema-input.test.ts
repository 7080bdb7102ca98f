import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { jsonSchemaInput } from './json-schema-input';

describe('jsonSchemaInput', () => {
  const schema = { type: 'object', properties: { to: { type: 'string', format: 'email' }, n: { type: 'integer', minimum: 1 } }, required: ['to'], additionalProperties: false };

  it('validates with the JSON Schema and reports paths', () => {
    const input = jsonSchemaInput(schema);
    expect(input.safeParse({ to: 'a@b.test', n: 2 }).success).toBe(true);
    const bad = input.safeParse({ to: 'nope', n: 0, extra: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message]).sort()).toEqual([
      ['', 'must NOT have additional properties (extra)'],
      ['n', 'must be >= 1'],
      ['to', 'must match format "email"'],
    ]);
    expect(input.safeParse('text').success).toBe(false);
  });

  it('gives back the same JSON Schema to offer the model', () => {
    const { $schema, ...rest } = z.toJSONSchema(jsonSchemaInput({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }), { io: 'input' }) as Record<string, unknown>;
    expect($schema).toBeDefined();
    expect(rest).toEqual(schema);
  });

  it('throws on a schema that does not compile', () => {
    expect(() => jsonSchemaInput({ type: 'object', properties: { a: { type: 'no-such-type' } } })).toThrow();
  });
});
