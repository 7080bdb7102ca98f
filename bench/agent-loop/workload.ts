/**
 * The one workload every agent loop in the agent-loop benchmark runs: three tools with zod inputs and a scripted
 * zero-latency model that makes one valid tool call per step for ten steps, then answers, reporting usage on
 * every call. Each framework gets the same tools, the same calls (arguments arrive as JSON text and are parsed
 * once per call, as a real provider does) and the same tool outputs; only the loop around them differs.
 */
import { z } from 'zod';

/** Tool steps per run; the model's eleventh call returns the final answer. */
export const TOOL_STEPS = 10;
export const SYSTEM_PROMPT = 'You are a support assistant for an online shop. Use the tools, then answer in one sentence.';
export const USER_INPUT = 'Where is order A-1042, what do the docs say about refunds, and will it rain in Lisbon?';
export const FINAL_TEXT = 'Order A-1042 has shipped, refunds take 5 days, and Lisbon stays dry.';

/** One tool of the workload, in framework-neutral form. */
export interface WorkloadTool<Input = any> {
  name: string;
  description: string;
  schema: z.ZodType<Input>;
  execute(input: Input): unknown;
}

const getOrder: WorkloadTool<{ orderId: string }> = {
  name: 'get_order',
  description: 'Look up an order by its id and return its status and total.',
  schema: z.object({ orderId: z.string().min(1) }),
  execute: (input) => ({ orderId: input.orderId, status: 'shipped', total: 42.5, currency: 'EUR' }),
};

const searchDocs: WorkloadTool<{ query: string; limit: number }> = {
  name: 'search_docs',
  description: 'Search the help centre and return matching article titles and links.',
  schema: z.object({ query: z.string().min(1), limit: z.number().int().min(1).max(20) }),
  execute: (input) => ({
    query: input.query,
    results: [
      { title: 'Refunds and returns', url: 'https://help.example.com/refunds' },
      { title: 'Refund timelines', url: 'https://help.example.com/refund-timelines' },
    ].slice(0, input.limit),
  }),
};

const getWeather: WorkloadTool<{ city: string; unit: 'c' | 'f' }> = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  schema: z.object({ city: z.string().min(1), unit: z.enum(['c', 'f']) }),
  execute: (input) => ({ city: input.city, temperature: input.unit === 'c' ? 21 : 70, unit: input.unit, rain: false }),
};

export const TOOLS: readonly WorkloadTool[] = [getOrder, searchDocs, getWeather];

const ARGUMENTS = [
  JSON.stringify({ orderId: 'A-1042' }),
  JSON.stringify({ query: 'refund timeline', limit: 2 }),
  JSON.stringify({ city: 'Lisbon', unit: 'c' }),
];

/** The model's decision at a step (0-based): a tool call for steps 0-9, then the final answer. */
export type ScriptedDecision =
  | { type: 'tool-call'; id: string; name: string; argumentsJson: string }
  | { type: 'final'; text: string };

const DECISIONS: readonly ScriptedDecision[] = [
  ...Array.from({ length: TOOL_STEPS }, (_, step): ScriptedDecision => ({
    type: 'tool-call',
    id: `call_${step}`,
    name: TOOLS[step % TOOLS.length]!.name,
    argumentsJson: ARGUMENTS[step % TOOLS.length]!,
  })),
  { type: 'final', text: FINAL_TEXT },
];

/** What the scripted model answers at a step (0-based). */
export function decisionAt(step: number): ScriptedDecision {
  const decision = DECISIONS[step];
  if (!decision) throw new Error(`The scripted model was called ${step + 1} times in one run; the workload has ${DECISIONS.length} steps.`);
  return decision;
}

/** Usage the model reports at a step: a growing prompt, a short reply. */
export function usageAt(step: number): { inputTokens: number; outputTokens: number } {
  return { inputTokens: 180 + 60 * step, outputTokens: 24 };
}

/** Tool executions since the last reset: each runner proves its loop really ran every tool. */
export const executions = { count: 0 };

/** The workload tools with execution counting, for adapters to wrap. */
export function countedExecute<Input>(tool: WorkloadTool<Input>): (input: Input) => unknown {
  return (input) => {
    executions.count++;
    return tool.execute(input);
  };
}

/** One framework's way of running the workload once (a fresh run: 11 model calls, 10 tool calls). */
export interface LoopRunner {
  name: string;
  /** What the runner's configuration is, for the figure text. */
  description: string;
  run(): Promise<string>;
}

/**
 * Runs once and checks the run did the whole workload: ten tool executions and the final text.
 * @throws Error when a framework skipped tools or returned something else.
 */
export async function verifyRunner(runner: LoopRunner): Promise<void> {
  executions.count = 0;
  const text = await runner.run();
  if (executions.count !== TOOL_STEPS || text !== FINAL_TEXT) {
    throw new Error(`${runner.name} ran ${executions.count} tools and answered ${JSON.stringify(text)}; expected ${TOOL_STEPS} tools and the final text.`);
  }
}
