/**
 * The floor: a hand-written tool loop with no framework — a message list, the same zero-latency script, zod
 * validation of each call's input, the tool, its JSON result appended. Anything a framework spends above this
 * is its own overhead.
 */
import { SYSTEM_PROMPT, TOOLS, TOOL_STEPS, USER_INPUT, countedExecute, decisionAt, usageAt, type LoopRunner } from './workload';

type BareMessage = { role: string; content: string; toolCallId?: string; call?: { id: string; name: string; input: unknown } };

export function bareLoopRunner(): LoopRunner {
  const tools = new Map(TOOLS.map((t) => [t.name, { schema: t.schema, execute: countedExecute(t) }]));
  return {
    name: 'bare hand-written loop',
    description: 'no framework: script, zod safeParse, execute, JSON result',
    async run() {
      const messages: BareMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: USER_INPUT }];
      let inputTokens = 0;
      for (let step = 0; step <= TOOL_STEPS; step++) {
        const decision = await Promise.resolve(decisionAt(step));
        inputTokens += usageAt(step).inputTokens;
        if (decision.type === 'final') return decision.text;
        const input: unknown = JSON.parse(decision.argumentsJson);
        messages.push({ role: 'assistant', content: '', call: { id: decision.id, name: decision.name, input } });
        const entry = tools.get(decision.name)!;
        const parsed = entry.schema.safeParse(input);
        const output = parsed.success ? await entry.execute(parsed.data) : { error: parsed.error.message };
        messages.push({ role: 'tool', toolCallId: decision.id, content: JSON.stringify(output) });
      }
      throw new Error(`The bare loop used ${inputTokens} tokens without a final answer.`);
    },
  };
}
