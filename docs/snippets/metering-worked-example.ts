/**
 * The worked example of docs/metering.md: one model call, counted by hand with the formula.
 * `docs/metering.test.ts` recomputes these numbers and checks the doc's table against them.
 */
import type { GenerateRequest } from '@claw/core';

export const workedRequest: GenerateRequest = {
  messages: [
    { role: 'system', part: 'system', content: 'You are a helpful assistant.' },
    { role: 'system', part: 'skill_instructions', content: 'Use the add tool for arithmetic.' },
    { role: 'user', content: 'What is 2 + 3?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'add', input: { a: 2, b: 3 } }] },
    { role: 'tool', toolCallId: 'call_1', toolName: 'add', content: '{"sum":5}' },
  ],
  tools: [
    {
      name: 'add',
      description: 'Add two numbers',
      inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    },
  ],
};

export const workedAnswer = '2 + 3 = 5.';
