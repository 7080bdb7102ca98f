import { validateToolInput, type ConfiguredSkill, type Tool, type ToolContext } from '@claw/core';
import { InMemoryTarget, type InMemoryCommit } from '../../src';

/** An alert a tool raised through its context. */
export type RaisedAlert = Parameters<ToolContext['alert']>[0];

/** A hand-built ToolContext that records alerts. */
export function toolContext(overrides: Partial<ToolContext> = {}): ToolContext & { alerts: RaisedAlert[] } {
  const alerts: RaisedAlert[] = [];
  return {
    signal: new AbortController().signal,
    principal: { id: 'priya', managerId: 'raj' },
    environment: 'production',
    runId: 'run-1',
    toolCallId: 'call-1',
    trigger: 'user',
    alert: (alert) => alerts.push(alert),
    ...overrides,
    alerts,
  };
}

/** The tools of a configured skill by name, called the way the agent calls them: input validated first. */
export function toolsOf(skill: ConfiguredSkill) {
  const byName = new Map(skill.tools.map((t) => [t.name, t]));
  const tool = (name: string): Tool => {
    const found = byName.get(name);
    if (!found) throw new Error(`no tool ${name}`);
    return found;
  };
  const validated = (name: string, input: unknown) => {
    const result = validateToolInput(tool(name), input);
    if (!result.success) throw result.error;
    return result.input;
  };
  return {
    tool,
    execute: async (name: string, input: unknown, ctx: ToolContext = toolContext()) => tool(name).execute(validated(name, input), ctx),
    preview: async (name: string, input: unknown, ctx: ToolContext = toolContext()) => tool(name).preview!(validated(name, input), ctx),
  };
}

export const sha = (n: number) => String(n).repeat(40).slice(0, 40);

/** Commits of the in-memory repository used by tool tests: 1 ← 2 (main) ← broken branches. */
export const COMMITS: InMemoryCommit[] = [
  { sha: sha(1), subject: 'Initial release' },
  { sha: sha(2), subject: 'Add greeting', author: 'Priya' },
  { sha: sha(3), subject: 'Break the health check', behaviour: 'fails-health-check' },
  { sha: sha(4), subject: 'Ship a release whose smoke test fails', behaviour: 'fails-after-switch' },
  { sha: sha(5), subject: 'Wait forever', behaviour: 'hangs' },
];
export const REFS = { v1: sha(1), main: sha(2), 'broken-health': sha(3), 'broken-smoke': sha(4), slow: sha(5) };

export function memoryTarget(options: { live?: Record<string, string> } = {}): InMemoryTarget {
  return new InMemoryTarget({ commits: COMMITS, refs: REFS, phaseMs: 1, ...(options.live ? { live: options.live } : {}) });
}
