import { describe, expect, it } from 'vitest';
import { AlertMonitor, type ObservedCall } from './alert-monitor';

const call = (fields: Partial<ObservedCall> = {}): ObservedCall => ({
  principal: { id: 'priya' },
  runId: 'run-1',
  toolName: 'email_move',
  effect: 'write',
  environment: 'production',
  ...fields,
});

describe('AlertMonitor', () => {
  it('alerts on the first use of a side-effecting tool by a principal, once', () => {
    const monitor = new AlertMonitor();
    expect(monitor.observeCall(call()).map((a) => a.kind)).toEqual(['first-tool-use']);
    expect(monitor.observeCall(call())).toEqual([]);
    expect(monitor.observeCall(call({ principal: { id: 'sam' } })).map((a) => a.kind)).toEqual(['first-tool-use']);
    expect(monitor.observeCall(call({ effect: 'read', toolName: 'email_read' }))).toEqual([]);
  });

  it('alerts once when side effects exceed the rate within the window, and again in a later window', () => {
    let now = 0;
    const monitor = new AlertMonitor({ sideEffectRate: { max: 3, windowMs: 1000 }, firstToolUse: false }, { clock: () => now });
    const kinds = () => monitor.observeCall(call()).map((a) => a.kind);
    expect([kinds(), kinds(), kinds()]).toEqual([[], [], []]);
    expect(kinds()).toEqual(['side-effect-rate']);
    expect(kinds()).toEqual([]);
    now = 5000;
    expect([kinds(), kinds(), kinds(), kinds()]).toEqual([[], [], [], ['side-effect-rate']]);
    expect(monitor.observeCall(call({ environment: 'sandbox' }))).toEqual([]);
  });

  it('alerts on production side effects outside working hours (UTC)', () => {
    let now = Date.UTC(2026, 10, 26, 3, 0);
    const monitor = new AlertMonitor({ productionHours: { startHour: 8, endHour: 19 }, firstToolUse: false }, { clock: () => now });
    expect(monitor.observeCall(call()).map((a) => a.kind)).toEqual(['off-hours-production']);
    now = Date.UTC(2026, 10, 26, 10, 0);
    expect(monitor.observeCall(call())).toEqual([]);
  });

  it('alerts when a principal is refused repeatedly', () => {
    const monitor = new AlertMonitor({ repeatedDenials: { max: 3, windowMs: 60_000 } });
    expect(monitor.observeDenial(call(), 'no')).toEqual([]);
    expect(monitor.observeDenial(call(), 'no')).toEqual([]);
    const [alert] = monitor.observeDenial(call(), 'missing scope email:send');
    expect(alert).toMatchObject({ kind: 'repeated-denials', severity: 'warning', principalId: 'priya' });
    expect(alert!.message).toContain('missing scope email:send');
  });
});
