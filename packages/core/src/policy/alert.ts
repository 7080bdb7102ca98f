/** Kinds of unusual behaviour the alert rules detect. */
export type AlertKind =
  | 'side-effect-rate'
  | 'first-tool-use'
  | 'off-hours-production'
  | 'repeated-denials'
  | 'untrusted-influence'
  | 'prompt-injection-suspected'
  | 'deploy-failed'
  | 'deploy-stuck'
  | 'usage-over-reservation'
  | 'usage-implausible-report';

/** One alert raised during a run. */
export interface Alert {
  id: string;
  kind: AlertKind;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  principalId: string;
  runId?: string;
  toolName?: string;
  at: number;
  details?: Record<string, unknown>;
}

/** Where alerts go besides the agent's `alert` event (Slack, a pager, a log). A sink that throws never breaks a run. */
export interface AlertSink {
  /** Delivers one alert. A throw or rejection is reported as an `error` event and never breaks the run. */
  send(alert: Alert): Promise<void> | void;
}
