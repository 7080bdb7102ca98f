import type { ProviderUsage } from '../model/model-provider';

/** Below this many estimated tokens a side is too small for a ratio to mean anything, and only zero is judged. */
export const PLAUSIBILITY_MIN_TOKENS = 16;

/** A reported side under this fraction of its estimate is not believed. */
export const PLAUSIBILITY_MIN_RATIO = 0.5;

/**
 * Whether a provider's usage report can be believed, against the estimate of what was evidently sent and received.
 * Tokenizers differ by far less than half, and providers count the chat template on top, so a report of zero
 * tokens for a call that sent some, or one side under half its estimate (when the estimate is at least
 * {@link PLAUSIBILITY_MIN_TOKENS}), or a negative or non-finite number, is `implausible`.
 */
export function judgeReport(
  reported: ProviderUsage,
  estimated: { inputTokens: number; outputTokens: number },
): 'plausible' | 'implausible' {
  const sides: [number, number][] = [
    [reported.inputTokens, estimated.inputTokens],
    [reported.outputTokens, estimated.outputTokens],
  ];
  for (const [value, estimate] of sides) {
    if (!Number.isFinite(value) || value < 0) return 'implausible';
    if (estimate >= PLAUSIBILITY_MIN_TOKENS && value < estimate * PLAUSIBILITY_MIN_RATIO) return 'implausible';
  }
  if (reported.inputTokens + reported.outputTokens === 0 && estimated.inputTokens + estimated.outputTokens > 0) return 'implausible';
  return 'plausible';
}
