import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS } from './conversation-counter';
import { findPrice, type PriceTable } from './price-table';
import type { UsageCategory, UsageRecord } from './usage-record';

const CATEGORY_WORDS: Record<UsageCategory, string> = {
  system: 'operator instructions',
  skill_instructions: 'skill instructions',
  memory: 'recalled memory',
  tool_schemas: 'tool descriptions',
  conversation: 'the conversation',
  tool_results: 'tool results',
  message_overhead: 'chat formatting',
  output_text: 'answer text',
  output_tool_calls: 'tool calls',
};

const n = (value: number) => value.toLocaleString('en-US');
const usd = (value: number) => `$${value.toFixed(8).replace(/\.?0+$/, '')}`;

/**
 * Explains, in plain sentences, how every number in a usage record was derived, so a person can check it by hand.
 * Uses the price table the record names when it is the one given; otherwise says the record was priced elsewhere.
 */
export function explainUsage(record: UsageRecord, prices: PriceTable): string {
  const e = record.estimate;
  const parts = (keys: UsageCategory[]) =>
    keys.filter((k) => e[k] > 0).map((k) => `${n(e[k])} for ${CATEGORY_WORDS[k]}`).join(' + ') || '0';
  const inputKeys: UsageCategory[] = ['system', 'skill_instructions', 'memory', 'tool_schemas', 'conversation', 'tool_results', 'message_overhead'];
  const lines = [
    `Model call ${record.id}: ${record.principalId}'s run ${record.runId}, step ${record.step}, attempt ${record.attempt}, started by "${record.trigger}", to ${record.provider}/${record.model}; it ended "${record.status}"${record.errorCode ? ` (${record.errorCode})` : ''}.`,
    `Counting rule ${record.formulaVersion}: text was split into tokens with tiktoken's ${record.encoding} tokenizer, ${record.encodingFidelity === 'exact' ? "this model's own" : 'a stand-in, because this model has no public tokenizer, so the estimate is approximate'}.`,
    `Estimated input: ${n(record.estimatedInputTokens)} tokens = ${parts(inputKeys)}. Chat formatting is ${MESSAGE_OVERHEAD_TOKENS} tokens per message plus ${REPLY_PRIMING_TOKENS} to start the reply.`,
    `Estimated output: ${n(record.estimatedOutputTokens)} tokens = ${parts(['output_text', 'output_tool_calls'])}.`,
  ];
  if (record.reported && record.source === 'estimated') {
    lines.push(
      `The provider reported ${n(record.reported.inputTokens)} input and ${n(record.reported.outputTokens)} output tokens, which is not believable (zero, or under half of the estimate), so the estimates are the numbers counted (source "estimated", flagged "implausible-report").`,
    );
  } else if (record.reported) {
    const d = record.delta!;
    lines.push(
      `The provider reported ${n(record.reported.inputTokens)} input and ${n(record.reported.outputTokens)} output tokens${record.reported.cachedInputTokens ? ` (${n(record.reported.cachedInputTokens)} of the input from its cache)` : ''}; those reported numbers are the ones counted (source "reported"). Our estimate was off by ${d.inputTokens >= 0 ? '+' : ''}${n(d.inputTokens)} on input and ${d.outputTokens >= 0 ? '+' : ''}${n(d.outputTokens)} on output.`,
    );
  } else if (record.status === 'refused') {
    lines.push('The call was refused before it was made because a budget could not cover it, so it counts 0 tokens.');
  } else {
    lines.push(`The provider reported no usage, so the estimates are the numbers counted (source "estimated")${record.status === 'ok' ? '' : '; a failed call counts the input it sent and no output'}.`);
  }
  lines.push(`Counted: ${n(record.inputTokens)} input + ${n(record.outputTokens)} output = ${n(record.totalTokens)} tokens.`);
  if (record.flags?.includes('over-reservation')) {
    lines.push(
      `That is more than the call was allowed (its estimated input plus the output limit sent)${record.flags.includes('over-output-limit') ? '; the provider reported more output than the limit it was sent' : ''}. All of it counts against its budgets, which may now be over their limits (flagged "over-reservation").`,
    );
  }
  const price = findPrice(prices, record.model);
  if (record.priceId === 'unpriced') lines.push('Cost: $0, because the price table has no row for this model.');
  else if (!price || price.id !== record.priceId) lines.push(`Cost: ${usd(record.costUsd)}, priced by table row ${record.priceId} (not the table given here).`);
  else if (record.costUsd === 0) lines.push(`Cost: $0: providers do not bill calls that failed without reporting usage (row ${record.priceId}).`);
  else {
    const p = price.price;
    lines.push(`Cost: ${usd(record.costUsd)} = input at $${p.inputPerMTok}/M tokens${p.cachedInputPerMTok !== undefined ? ` (cached input $${p.cachedInputPerMTok}/M)` : ''} + output at $${p.outputPerMTok}/M, from price table row ${record.priceId} (${prices.source}).`);
  }
  return lines.join('\n');
}
