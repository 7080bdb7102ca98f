/**
 * Issue 3 — metering cost as a conversation grows. A run of N turns (N = 200 and 400) is metered the way the
 * agent meters it: before every model call `meter.generate` estimates the whole request (system prompt, user
 * input, every earlier turn, tool schemas), reserves budget, calls a zero-latency model, records usage into an
 * in-memory ledger and settles. Each turn then appends ~500 tokens (the assistant's tool call and a compact JSON
 * tool result), as in a real run. The figure is the whole conversation's metering time.
 *
 * Incremental: the run's `ConversationCounter` tokenizes each message once, so the cost should grow linearly
 * (400 turns <= 2.2x 200 turns). Naive, for contrast: a fresh counter per call re-counts the whole history every
 * turn (what metering without the incremental counter does), which grows quadratically; it is shown at 100 and
 * 200 turns (one run each) to keep the script short.
 *
 * Every round uses freshly generated text (seeded), so Claw's process-wide chunk cache knows the common words
 * from earlier rounds but not each round's ids, numbers and rarer words: the steady state of a running service.
 */
import {
  InMemoryUsageLedger,
  Meter,
  countTokens,
  type GenerateRequest,
  type GenerateResponse,
  type Message,
  type ModelProvider,
  type ModelToolSpec,
} from '@claw/core';
import type { BenchRow } from './bench-row';
import { median, now, progress, scaled, significant } from './support/measure';
import { seededRandom, integer } from './support/random';
import { jsonDocument, proseDocument } from './support/text-corpus';

const SHORT = scaled(200, 20);
const NAIVE_SHORT = SHORT / 2;
const LONG = scaled(400, 40);
const ROUNDS = scaled(5, 1);
const TOOL_RESULT_BYTES = 1_150;

interface Turn {
  call: { id: string; name: string; input: unknown };
  result: string;
}

/** A zero-latency model that answers each turn with that turn's tool call and reports usage. */
class ConversationModel implements ModelProvider {
  readonly provider = 'bench';
  readonly model = 'gpt-4o-mini';
  turns: readonly Turn[] = [];
  index = 0;

  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const turn = this.turns[this.index++]!;
    return {
      text: '',
      toolCalls: [turn.call],
      finishReason: 'tool_calls',
      usage: { inputTokens: request.messages.length * 250, outputTokens: 30 },
    };
  }
}

const TOOLS: ModelToolSpec[] = [
  {
    name: 'search_orders',
    description: 'Search orders by free text; returns matching orders as JSON.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer' } }, required: ['query'] },
  },
  {
    name: 'get_customer',
    description: 'Fetch one customer record by id.',
    inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  },
];

/** `count` turns of fresh text for one round. */
function makeTurns(count: number, seed: number): Turn[] {
  const random = seededRandom(seed);
  const words = proseDocument(count * 40, seed).split(/\s+/);
  return Array.from({ length: count }, (_, i) => ({
    call: {
      id: `call_${seed}_${i}`,
      name: i % 2 === 0 ? 'search_orders' : 'get_customer',
      input: i % 2 === 0 ? { query: words.slice(i * 4, i * 4 + 4).join(' '), limit: integer(random, 5, 50) } : { id: `cus_${seed}_${i}` },
    },
    result: jsonDocument(TOOL_RESULT_BYTES, seed * 1_000 + i, 0),
  }));
}

/** Meters a whole conversation of `turns.length` turns; returns milliseconds. */
async function meterConversation(model: ConversationModel, turns: readonly Turn[], incremental: boolean): Promise<number> {
  const meter = new Meter({ ledger: new InMemoryUsageLedger(), budgets: [{ per: 'principal', windowMs: 86_400_000, maxTokens: 1e12 }] });
  model.turns = turns;
  model.index = 0;
  const messages: Message[] = [
    { role: 'system', part: 'system', content: 'You are an assistant for the payments team. Use the tools to answer; cite order ids.' },
    { role: 'user', content: 'Find every order for the customers who complained this week and summarise what went wrong.' },
  ];
  const conversation = incremental ? meter.conversationCounter(model.model) : undefined;
  const principal = { id: 'priya', team: 'payments' };
  const start = now();
  for (let step = 1; step <= turns.length; step++) {
    const { response } = await meter.generate(
      model,
      { messages, tools: TOOLS, maxOutputTokens: 1024 },
      { runId: 'metering-bench', step, attempt: 1, principal, trigger: 'user', skills: ['orders'] },
      conversation ? { conversation } : {},
    );
    const call = response.toolCalls[0]!;
    messages.push({ role: 'assistant', content: response.text, toolCalls: response.toolCalls });
    messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content: turns[step - 1]!.result });
  }
  return now() - start;
}

export default async function meteringScalingBench(): Promise<BenchRow[]> {
  const model = new ConversationModel();
  let seed = 100;
  const fresh = (count: number) => makeTurns(count, seed++);
  const sample = fresh(50);
  const tokensPerTurn =
    sample.reduce((sum, t) => sum + countTokens(t.result) + countTokens(t.call.name) + countTokens(JSON.stringify(t.call.input)) + 6, 0) / sample.length;

  // Warm-up: JIT and the chunk cache's common words.
  await meterConversation(model, fresh(LONG), true);
  progress('metering-scaling', 'warm-up done');

  const short: number[] = [];
  const long: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which size goes first so drift in machine load affects both alike.
    const a = fresh(SHORT);
    const b = fresh(LONG);
    if (round % 2 === 0) {
      short.push(await meterConversation(model, a, true));
      long.push(await meterConversation(model, b, true));
    } else {
      long.push(await meterConversation(model, b, true));
      short.push(await meterConversation(model, a, true));
    }
  }
  progress('metering-scaling', 'incremental rounds done');
  // The naive form is quadratic: one run each at half and full length shows it (a 400-turn run would take ~15 s).
  const naiveHalf = await meterConversation(model, fresh(NAIVE_SHORT), false);
  const naiveFull = await meterConversation(model, fresh(SHORT), false);
  progress('metering-scaling', 'naive runs done');

  const incrementalShort = median(short);
  const incrementalLong = median(long);
  const ratio = incrementalLong / incrementalShort;
  const label = (turns: number) => `metering: ${turns}-turn conversation (~${Math.round(tokensPerTurn)} tokens a turn), meter.generate before every turn`;
  return [
    {
      figure: `${label(LONG)}, incremental ConversationCounter, whole run, median of ${ROUNDS}`,
      value: significant(incrementalLong),
      unit: 'ms',
      comparedWith: `the ${SHORT}-turn conversation, same run`,
      comparedValue: significant(incrementalShort),
      target: `${LONG}-turn cost <= 2.2x ${SHORT}-turn cost`,
      meetsTarget: ratio <= 2.2,
    },
    {
      figure: `${label(LONG)}, incremental, per turn`,
      value: significant((incrementalLong / LONG) * 1000),
      unit: 'µs',
      comparedWith: `${SHORT}-turn conversation per turn`,
      comparedValue: significant((incrementalShort / SHORT) * 1000),
    },
    {
      figure: `${label(SHORT)}, naive: a fresh counter each call re-counts the whole history (1 run)`,
      value: significant(naiveFull),
      unit: 'ms',
      comparedWith: `incremental, same ${SHORT}-turn length`,
      comparedValue: significant(incrementalShort),
    },
    {
      figure: `${label(SHORT)}, naive re-count (quadratic growth)`,
      value: significant(naiveFull),
      unit: 'ms',
      comparedWith: `naive ${NAIVE_SHORT}-turn conversation`,
      comparedValue: significant(naiveHalf),
    },
  ];
}
