import { describe, expect, it } from 'vitest';
import { toAnthropicConversation } from './to-anthropic-messages';

describe('toAnthropicConversation', () => {
  it('has no system prompt when there are no system messages', () => {
    expect(toAnthropicConversation([{ role: 'user', content: 'hi' }]).system).toBeUndefined();
  });

  it('merges consecutive turns of one role and drops empty text', () => {
    const { messages } = toAnthropicConversation([
      { role: 'user', content: 'first' },
      { role: 'user', content: '' },
      { role: 'user', content: 'second' },
      { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'now', input: {} }] },
      { role: 'tool', toolCallId: 't1', toolName: 'now', content: '12:00' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'now', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '12:00' }] },
    ]);
  });

  it('replays a non-object input as {} because tool_use input must be an object', () => {
    const { messages } = toAnthropicConversation([{ role: 'assistant', content: 'x', toolCalls: [{ id: 't1', name: 'f', input: [1, 2] }] }]);
    expect(messages[0]!.content).toEqual([{ type: 'text', text: 'x' }, { type: 'tool_use', id: 't1', name: 'f', input: {} }]);
  });
});
