import { longestModelMatch } from './model-name';

/** Prices in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Price of input served from the provider's cache; defaults to `inputPerMTok`. */
  cachedInputPerMTok?: number;
  /** Price of input written to the cache (Anthropic); defaults to `inputPerMTok`. */
  cacheWritePerMTok?: number;
}

/** A versioned price table: every record names the row it was priced by (`<table version>/<model prefix>`). */
export interface PriceTable {
  version: string;
  /** Where the prices come from and when they were read. */
  source: string;
  /** Model name → price; a row also prices the name's `-`/`:` variants, and the longest matching row wins. */
  models: Readonly<Record<string, ModelPrice>>;
}

/**
 * List prices as published by OpenAI and Anthropic on their pricing pages, read on 2026-11-01. Pass your own table
 * (negotiated rates, other providers) to the `Meter`; records keep the version they were priced with.
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  version: '2026-11-01',
  source: 'openai.com/api/pricing and anthropic.com/pricing list prices, read 2026-11-01',
  models: {
    'gpt-4o-mini': { inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
    'gpt-4o': { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
    'gpt-4.1-nano': { inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4 },
    'gpt-4.1-mini': { inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6 },
    'gpt-4.1': { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 },
    'gpt-5-nano': { inputPerMTok: 0.05, cachedInputPerMTok: 0.005, outputPerMTok: 0.4 },
    'gpt-5-mini': { inputPerMTok: 0.25, cachedInputPerMTok: 0.025, outputPerMTok: 2 },
    'gpt-5': { inputPerMTok: 1.25, cachedInputPerMTok: 0.125, outputPerMTok: 10 },
    'claude-haiku-4-5': { inputPerMTok: 1, cachedInputPerMTok: 0.1, cacheWritePerMTok: 1.25, outputPerMTok: 5 },
    'claude-sonnet-4': { inputPerMTok: 3, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75, outputPerMTok: 15 },
    'claude-opus-4': { inputPerMTok: 15, cachedInputPerMTok: 1.5, cacheWritePerMTok: 18.75, outputPerMTok: 75 },
  },
};

/**
 * The price row for a model, matched like encodings (case ignored, a router prefix such as `openai/` dropped, the
 * longest row that is the name or a `-`/`:` variant of it), or undefined when the table has none (the call is
 * then recorded as `unpriced`, cost 0).
 */
export function findPrice(table: PriceTable, model: string): { id: string; price: ModelPrice } | undefined {
  const best = longestModelMatch(model, Object.keys(table.models));
  return best === undefined ? undefined : { id: `${table.version}/${best}`, price: table.models[best]! };
}

/**
 * Cost of a call: uncached input at the input price, cached input at the cached price, cache writes at the
 * cache-write price, output at the output price.
 */
export function priceCall(
  price: ModelPrice,
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number; cacheWriteTokens?: number },
): number {
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cached - written);
  const usd =
    uncached * price.inputPerMTok +
    cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
    written * (price.cacheWritePerMTok ?? price.inputPerMTok) +
    usage.outputTokens * price.outputPerMTok;
  return usd / 1_000_000;
}
