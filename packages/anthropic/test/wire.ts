import type { WireEvent } from './stand-in-server';

/** Builders for Messages API wire objects, shaped like what api.anthropic.com sends. */

export type WireBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export function usage(input: number, output: number, cache: { read?: number; write?: number } = {}) {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: cache.write ?? 0,
    cache_read_input_tokens: cache.read ?? 0,
    service_tier: 'standard',
  };
}

export function message(options: { content: WireBlock[]; stopReason?: string; usage?: ReturnType<typeof usage>; model?: string }) {
  return {
    id: 'msg_01StandIn',
    type: 'message',
    role: 'assistant',
    model: options.model ?? 'claude-sonnet-4-6-20260101',
    content: options.content.map((block) => (block.type === 'text' ? { ...block, citations: null } : block)),
    stop_reason: options.stopReason ?? (options.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: options.usage ?? usage(20, 8),
  };
}

/** The events of one streamed message: text blocks as several text deltas, tool inputs as several JSON fragments. */
export function streamEvents(options: {
  blocks: ({ type: 'text'; deltas: string[] } | { type: 'tool_use'; id: string; name: string; fragments: string[] })[];
  stopReason?: string;
  startUsage?: ReturnType<typeof usage>;
  outputTokens?: number;
}): WireEvent[] {
  const events: WireEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { id: 'msg_01Stream', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6-20260101', content: [], stop_reason: null, stop_sequence: null, usage: options.startUsage ?? { ...usage(20, 1) } },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  options.blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } } });
      for (const text of block.deltas) events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } } });
    } else {
      events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } } });
      for (const partial_json of block.fragments) {
        events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } } });
      }
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push(
    {
      event: 'message_delta',
      data: { type: 'message_delta', delta: { stop_reason: options.stopReason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: options.outputTokens ?? 15 } },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return events;
}
