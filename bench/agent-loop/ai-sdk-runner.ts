/**
 * Vercel AI SDK 6 on the agent-loop workload: `generateText` with `tool()` definitions (zod inputs), a
 * `MockLanguageModelV3` from `ai/test` answering from the workload script, and `stopWhen: stepCountIs(11)`.
 * The mock keeps every call's options in `doGenerateCalls`; that log is cleared after each run so the heap
 * figure measures the SDK, not the mock's bookkeeping.
 */
import { generateText, stepCountIs, tool, type ToolSet } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { SYSTEM_PROMPT, TOOLS, TOOL_STEPS, USER_INPUT, countedExecute, decisionAt, usageAt, type LoopRunner } from './workload';

function v3Usage(step: number) {
  const usage = usageAt(step);
  return {
    inputTokens: { total: usage.inputTokens, noCache: usage.inputTokens, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: usage.outputTokens, text: usage.outputTokens, reasoning: undefined },
  };
}

export function aiSdkRunner(): LoopRunner {
  let step = 0;
  const model = new MockLanguageModelV3({
    doGenerate: async () => {
      const current = step++;
      const decision = decisionAt(current);
      if (decision.type === 'final') {
        return { content: [{ type: 'text', text: decision.text }], finishReason: { unified: 'stop', raw: 'stop' }, usage: v3Usage(current), warnings: [] };
      }
      return {
        content: [{ type: 'tool-call', toolCallId: decision.id, toolName: decision.name, input: decision.argumentsJson }],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: v3Usage(current),
        warnings: [],
      };
    },
  });
  const tools: ToolSet = {};
  for (const t of TOOLS) tools[t.name] = tool({ description: t.description, inputSchema: t.schema, execute: countedExecute(t) as never });
  return {
    name: 'Vercel AI SDK generateText',
    description: 'generateText + MockLanguageModelV3, stopWhen stepCountIs(11)',
    async run() {
      step = 0;
      const result = await generateText({ model, system: SYSTEM_PROMPT, prompt: USER_INPUT, tools, stopWhen: stepCountIs(TOOL_STEPS + 1) });
      model.doGenerateCalls.length = 0;
      return result.text;
    },
  };
}
