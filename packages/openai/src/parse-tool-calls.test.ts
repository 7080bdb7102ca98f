import { describe, expect, it } from 'vitest';
import { parseToolCall } from './parse-tool-calls';

describe('parseToolCall', () => {
  it('parses JSON arguments', () => {
    expect(parseToolCall({ id: 'c1', name: 'lookup', arguments: '{"id":"T-1","n":2}' }, 0)).toEqual({ id: 'c1', name: 'lookup', input: { id: 'T-1', n: 2 } });
  });

  it('treats empty arguments as no arguments', () => {
    expect(parseToolCall({ id: 'c1', name: 'now', arguments: '' }, 0).input).toEqual({});
    expect(parseToolCall({ id: 'c1', name: 'now', arguments: '  ' }, 0).input).toEqual({});
  });

  it('keeps malformed arguments as text with a parse error instead of throwing', () => {
    const call = parseToolCall({ id: 'c1', name: 'lookup', arguments: "{'id': 'T-1'}" }, 0);
    expect(call).toMatchObject({ id: 'c1', name: 'lookup', input: undefined, inputText: "{'id': 'T-1'}" });
    expect(call.parseError).toMatch(/^The arguments are not valid JSON \(.+\)\.$/);
  });

  it('accepts arguments a server sent as an object', () => {
    expect(parseToolCall({ id: 'c1', name: 'lookup', arguments: { id: 'T-1' } }, 0).input).toEqual({ id: 'T-1' });
  });

  it('names a call that came without an id by its position', () => {
    expect(parseToolCall({ id: undefined, name: 'lookup', arguments: '{}' }, 2).id).toBe('call_3');
    expect(parseToolCall({ id: '', name: 'lookup', arguments: '{}' }, 0).id).toBe('call_1');
  });
});
