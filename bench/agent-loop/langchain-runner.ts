/**
 * LangChain 1.x on the agent-loop workload: `createAgent` from 'langchain' with three `tool()`s (zod schemas) and a
 * zero-latency chat model written here (a `BaseChatModel` whose `bindTools` returns itself and whose `_generate`
 * answers from the workload script with `tool_calls` and `usage_metadata`). LangSmith tracing stays off.
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { tool } from '@langchain/core/tools';
import { createAgent } from 'langchain';
import { SYSTEM_PROMPT, TOOLS, TOOL_STEPS, USER_INPUT, countedExecute, decisionAt, usageAt, type LoopRunner } from './workload';

class BenchChatModel extends BaseChatModel {
  step = 0;

  _llmType(): string {
    return 'bench';
  }

  override bindTools(): this {
    return this;
  }

  async _generate(_messages: BaseMessage[]): Promise<ChatResult> {
    const current = this.step++;
    const decision = decisionAt(current);
    const { inputTokens, outputTokens } = usageAt(current);
    const usage_metadata = { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
    const message =
      decision.type === 'final'
        ? new AIMessage({ content: decision.text, usage_metadata })
        : new AIMessage({
            content: '',
            tool_calls: [{ id: decision.id, name: decision.name, args: JSON.parse(decision.argumentsJson), type: 'tool_call' }],
            usage_metadata,
          });
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}

export function langChainRunner(): LoopRunner {
  for (const name of ['LANGSMITH_TRACING', 'LANGCHAIN_TRACING_V2', 'LANGCHAIN_TRACING']) delete process.env[name];
  const model = new BenchChatModel({});
  const agent = createAgent({
    model,
    systemPrompt: SYSTEM_PROMPT,
    tools: TOOLS.map((t) => tool(countedExecute(t) as never, { name: t.name, description: t.description, schema: t.schema as never })),
  });
  return {
    name: 'LangChain createAgent',
    description: 'createAgent + BaseChatModel fake with tool_calls',
    async run() {
      model.step = 0;
      const result = await agent.invoke({ messages: [{ role: 'user', content: USER_INPUT }] }, { recursionLimit: 4 * TOOL_STEPS });
      const last = result.messages.at(-1)!;
      return typeof last.content === 'string' ? last.content : JSON.stringify(last.content);
    },
  };
}
