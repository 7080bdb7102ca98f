/**
 * OpenAI Agents JS on the agent-loop workload: an `Agent` with three `tool()`s (zod parameters) run by a `Runner`
 * against a zero-latency `Model` written here (the SDK's Model interface: `getResponse` returning Responses-API
 * output items and a `Usage`). Tracing is disabled: no exporter is configured, and the figure is the loop itself.
 */
import { Agent, Runner, Usage, setTracingDisabled, tool, type Model, type ModelRequest, type ModelResponse } from '@openai/agents';
import { SYSTEM_PROMPT, TOOLS, TOOL_STEPS, USER_INPUT, countedExecute, decisionAt, usageAt, type LoopRunner } from './workload';

class BenchAgentsModel implements Model {
  step = 0;

  async getResponse(_request: ModelRequest): Promise<ModelResponse> {
    const current = this.step++;
    const decision = decisionAt(current);
    const { inputTokens, outputTokens } = usageAt(current);
    const usage = new Usage({ requests: 1, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });
    if (decision.type === 'final') {
      return {
        usage,
        output: [{ type: 'message', id: `msg_${current}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: decision.text }] }],
      };
    }
    return {
      usage,
      output: [{ type: 'function_call', id: `fc_${current}`, callId: decision.id, name: decision.name, status: 'completed', arguments: decision.argumentsJson }],
    };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error('The benchmark model does not stream.');
  }
}

export function openAiAgentsRunner(): LoopRunner {
  setTracingDisabled(true);
  const model = new BenchAgentsModel();
  const agent = new Agent({
    name: 'support',
    instructions: SYSTEM_PROMPT,
    model,
    tools: TOOLS.map((t) => tool({ name: t.name, description: t.description, parameters: t.schema as never, execute: countedExecute(t) as never })),
  });
  const runner = new Runner({ tracingDisabled: true });
  return {
    name: 'OpenAI Agents JS run',
    description: 'Agent + Runner.run, custom zero-latency Model, tracing disabled',
    async run() {
      model.step = 0;
      const result = await runner.run(agent, USER_INPUT, { maxTurns: TOOL_STEPS + 2 });
      return String(result.finalOutput);
    },
  };
}
