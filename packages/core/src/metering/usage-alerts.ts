import type { Alert, AlertKind } from '../policy/alert';
import type { UsageRecord } from './usage-record';

/** What an alert about one usage record says; the agent fills in id, principal, run and time. */
export interface UsageAlert {
  kind: AlertKind;
  severity: Alert['severity'];
  message: string;
  details: Record<string, unknown>;
}

/**
 * The alerts one usage record calls for: a call that counted more than was reserved for it (a budget may now be
 * over its limit, so a person should look), and a provider report that was not believed. Empty for a clean record.
 */
export function usageAlerts(record: UsageRecord): UsageAlert[] {
  const alerts: UsageAlert[] = [];
  const details = {
    recordId: record.id,
    model: record.model,
    estimatedInputTokens: record.estimatedInputTokens,
    estimatedOutputTokens: record.estimatedOutputTokens,
    countedTokens: record.totalTokens,
    ...(record.reported ? { reportedInputTokens: record.reported.inputTokens, reportedOutputTokens: record.reported.outputTokens } : {}),
    flags: record.flags ?? [],
  };
  if (record.flags?.includes('over-reservation')) {
    const overLimit = record.flags.includes('over-output-limit');
    alerts.push({
      kind: 'usage-over-reservation',
      severity: 'warning',
      message: `Model call ${record.id} on ${record.model} counted ${record.totalTokens} tokens, more than was reserved for it${overLimit ? '; the provider reported more output than the output limit it was sent' : ''}. Its budgets may be over their limits: check the provider's usage for this call.`,
      details,
    });
  }
  if (record.flags?.includes('implausible-report')) {
    alerts.push({
      kind: 'usage-implausible-report',
      severity: 'warning',
      message: `The provider reported ${record.reported?.inputTokens ?? 0} input and ${record.reported?.outputTokens ?? 0} output tokens for model call ${record.id}, far below the ${record.estimatedInputTokens} + ${record.estimatedOutputTokens} estimated; the estimate was counted instead. Check the provider or proxy in front of it.`,
      details,
    });
  }
  return alerts;
}
