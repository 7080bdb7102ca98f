import { describe, expect, it } from 'vitest';
import { activeFreeze, freezeWindowSchema, type FreezeWindow } from './freeze-window';

const parse = (w: unknown) => freezeWindowSchema.parse(w) as FreezeWindow;
const at = (iso: string) => Date.parse(iso);

describe('activeFreeze', () => {
  it('blocks inside a one-off window and not at its end', () => {
    const w = parse({ type: 'once', from: '2026-12-20T00:00:00Z', until: '2027-01-04T00:00:00Z', reason: 'year-end freeze' });
    expect(activeFreeze([w], at('2026-12-19T23:59:59Z'))).toBeUndefined();
    expect(activeFreeze([w], at('2026-12-24T12:00:00Z'))).toEqual({ reason: 'year-end freeze', until: at('2027-01-04T00:00:00Z') });
    expect(activeFreeze([w], at('2027-01-04T00:00:00Z'))).toBeUndefined();
  });

  it('blocks weekly windows on their days in their time zone', () => {
    // 2026-11-27 is a Friday.
    const w = parse({ type: 'weekly', days: ['fri'], from: '16:00', until: '23:00', timeZone: 'Europe/Berlin', reason: 'no Friday deploys' });
    expect(activeFreeze([w], at('2026-11-27T14:59:00Z'))).toBeUndefined(); // 15:59 in Berlin
    expect(activeFreeze([w], at('2026-11-27T15:30:00Z'))).toEqual({ reason: 'no Friday deploys', until: at('2026-11-27T22:00:00Z') });
    expect(activeFreeze([w], at('2026-11-26T15:30:00Z'))).toBeUndefined(); // Thursday
  });

  it('runs a weekly window past midnight into the next day', () => {
    const w = parse({ type: 'weekly', days: ['fri'], from: '18:00', until: '08:00', reason: 'weekend' });
    expect(activeFreeze([w], at('2026-11-27T20:00:00Z'))?.until).toBe(at('2026-11-28T08:00:00Z'));
    expect(activeFreeze([w], at('2026-11-28T07:59:00Z'))?.until).toBe(at('2026-11-28T08:00:00Z'));
    expect(activeFreeze([w], at('2026-11-28T08:00:00Z'))).toBeUndefined();
    expect(activeFreeze([w], at('2026-11-27T07:00:00Z'))).toBeUndefined(); // Friday morning: Thursday is not a freeze day
  });

  it('reports the window that ends last when several overlap', () => {
    const a = parse({ type: 'once', from: '2026-11-27T00:00:00Z', until: '2026-11-28T00:00:00Z', reason: 'short' });
    const b = parse({ type: 'once', from: '2026-11-27T00:00:00Z', until: '2026-11-30T00:00:00Z', reason: 'long' });
    expect(activeFreeze([a, b], at('2026-11-27T10:00:00Z'))?.reason).toBe('long');
  });

  it('rejects malformed windows', () => {
    expect(() => parse({ type: 'once', from: '2026-11-28T00:00:00Z', until: '2026-11-27T00:00:00Z', reason: 'x' })).toThrow(/after/);
    expect(() => parse({ type: 'weekly', days: ['fri'], from: '25:00', until: '08:00', reason: 'x' })).toThrow(/HH:MM/);
    expect(() => parse({ type: 'weekly', days: ['fri'], from: '18:00', until: '08:00', timeZone: 'Mars/Olympus', reason: 'x' })).toThrow(/time zone/);
    expect(() => parse({ type: 'weekly', days: [], from: '18:00', until: '08:00', reason: 'x' })).toThrow();
  });
});
