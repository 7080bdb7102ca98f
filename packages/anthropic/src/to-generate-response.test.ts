import { describe, expect, it } from 'vitest';
import { toFinishReason, toProviderUsage } from './to-generate-response';

describe('toProviderUsage', () => {
  it('makes inputTokens the whole prompt: uncached input plus cache reads plus cache writes', () => {
    expect(toProviderUsage({ input_tokens: 12, output_tokens: 7, cache_read_input_tokens: 3000, cache_creation_input_tokens: 150 })).toEqual({
      inputTokens: 3162,
      outputTokens: 7,
      cachedInputTokens: 3000,
      cacheWriteTokens: 150,
    });
  });

  it('leaves the cache fields out when the API sent none, and reports nothing without counts', () => {
    expect(toProviderUsage({ input_tokens: 12, output_tokens: 7, cache_read_input_tokens: null, cache_creation_input_tokens: null })).toEqual({ inputTokens: 12, outputTokens: 7 });
    expect(toProviderUsage({ input_tokens: null, output_tokens: 7 })).toBeUndefined();
    expect(toProviderUsage(undefined)).toBeUndefined();
  });
});

describe('toFinishReason', () => {
  it('reports tool_calls whenever the turn carries tool calls', () => {
    expect(toFinishReason('tool_use', true)).toBe('tool_calls');
    expect(toFinishReason('end_turn', true)).toBe('tool_calls');
    expect(toFinishReason('model_context_window_exceeded', false)).toBe('length');
    expect(toFinishReason(null, false)).toBe('other');
  });
});
