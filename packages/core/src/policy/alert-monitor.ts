import { randomUUID } from 'node:crypto';
import type { ToolEffect } from '../tools/define-tool';
import type { Alert, AlertKind } from './alert';
import type { Environment, Principal } from './principal';

/** Thresholds of the built-in alert rules; `false` turns a rule off. */
export interface AlertRules {
  /** Side-effecting calls (performed, not previewed) per principal within the window. Default 20 per minute. */
  sideEffectRate?: { max: number; windowMs: number } | false;
  /** Alert the first time a principal uses a tool with an effect. Default on. */
  firstToolUse?: boolean;
  /** Production side effects outside these UTC hours alert (e.g. `{ startHour: 8, endHour: 19 }`). Default off. */
  productionHours?: { startHour: number; endHour: number } | false;
  /** Denials (permission, policy, approval) per principal within the window. Default 3 in 10 minutes. */
  repeatedDenials?: { max: number; windowMs: number } | false;
}

/** What the monitor is told about a tool call that is about to run (or preview). */
export interface ObservedCall {
  principal: Principal;
  runId: string;
  toolName: string;
  effect: ToolEffect;
  environment: Environment;
}

/**
 * Watches an agent's calls and raises alerts on unusual behaviour. Alerts are advisory: they never block, policy
 * does. State is per monitor (one per agent); pass `knownTools` to seed first-use detection from history.
 */
export class AlertMonitor {
  private readonly rules: Required<AlertRules>;
  private readonly clock: () => number;
  private readonly seen = new Set<string>();
  private readonly sideEffects = new Map<string, number[]>();
  private readonly denials = new Map<string, number[]>();

  constructor(rules: AlertRules = {}, options: { clock?: () => number; knownTools?: Iterable<`${string}:${string}`> } = {}) {
    this.rules = {
      sideEffectRate: rules.sideEffectRate ?? { max: 20, windowMs: 60_000 },
      firstToolUse: rules.firstToolUse ?? true,
      productionHours: rules.productionHours ?? false,
      repeatedDenials: rules.repeatedDenials ?? { max: 3, windowMs: 600_000 },
    };
    this.clock = options.clock ?? Date.now;
    for (const key of options.knownTools ?? []) this.seen.add(key);
  }

  /** Alerts raised by a call about to be performed or previewed. */
  observeCall(call: ObservedCall): Alert[] {
    const alerts: Alert[] = [];
    const now = this.clock();
    if (call.effect === 'read') return alerts;
    const firstKey = `${call.principal.id}:${call.toolName}`;
    if (this.rules.firstToolUse && !this.seen.has(firstKey)) {
      this.seen.add(firstKey);
      alerts.push(this.alert('first-tool-use', 'info', `${call.principal.id} used ${call.toolName} for the first time.`, call, now));
    }
    if (call.environment !== 'production') return alerts;
    const rate = this.rules.sideEffectRate;
    if (rate) {
      const count = bump(this.sideEffects, call.principal.id, now, rate.windowMs);
      if (count === rate.max + 1) {
        alerts.push(this.alert('side-effect-rate', 'warning', `${call.principal.id}'s agent made more than ${rate.max} side-effecting calls within ${Math.round(rate.windowMs / 1000)} s.`, call, now, { count }));
      }
    }
    const hours = this.rules.productionHours;
    if (hours) {
      const hour = new Date(now).getUTCHours();
      const inside = hours.startHour <= hours.endHour ? hour >= hours.startHour && hour < hours.endHour : hour >= hours.startHour || hour < hours.endHour;
      if (!inside) {
        alerts.push(this.alert('off-hours-production', 'warning', `${call.toolName} ran in production at ${hour}:00 UTC, outside ${hours.startHour}:00-${hours.endHour}:00.`, call, now));
      }
    }
    return alerts;
  }

  /** Alerts raised by a denial (permission, policy or approval). */
  observeDenial(call: ObservedCall, reason: string): Alert[] {
    const rule = this.rules.repeatedDenials;
    if (!rule) return [];
    const now = this.clock();
    const count = bump(this.denials, call.principal.id, now, rule.windowMs);
    if (count !== rule.max) return [];
    return [this.alert('repeated-denials', 'warning', `${call.principal.id}'s agent was refused ${count} times within ${Math.round(rule.windowMs / 60_000)} min; last: ${reason}`, call, now, { count })];
  }

  /** Builds an alert for conditions detected elsewhere (untrusted influence, injection, tool-raised alerts). */
  alert(kind: AlertKind, severity: Alert['severity'], message: string, call: Pick<ObservedCall, 'principal' | 'runId'> & { toolName?: string }, at = this.clock(), details?: Record<string, unknown>): Alert {
    return {
      id: randomUUID(),
      kind,
      severity,
      message,
      principalId: call.principal.id,
      runId: call.runId,
      ...(call.toolName !== undefined ? { toolName: call.toolName } : {}),
      at,
      ...(details !== undefined ? { details } : {}),
    };
  }
}

function bump(windows: Map<string, number[]>, key: string, now: number, windowMs: number): number {
  const times = (windows.get(key) ?? []).filter((t) => t > now - windowMs);
  times.push(now);
  windows.set(key, times);
  return times.length;
}
