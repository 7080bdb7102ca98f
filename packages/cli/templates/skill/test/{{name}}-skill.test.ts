import { Agent, InMemoryApprovalStore, InMemoryAuditLog, type AgentOptions, type RunResult } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { {{SNAKE}}_SCOPES, {{camel}}Skill, InMemory{{Name}} } from '../src';

const NOW = Date.UTC(2026, 0, 5, 9);

function agentFor(backend: InMemory{{Name}}, model: ScriptedModel, options: Partial<AgentOptions> = {}) {
  const audit = new InMemoryAuditLog();
  const agent = new Agent({
    model,
    skills: [{{camel}}Skill.configure({ backend })],
    principal: { id: 'priya', managerId: 'raj' },
    grants: ['{{name}}:read', '{{name}}:write'],
    audit,
    meter: false,
    ...options,
  });
  return { agent, audit };
}

const toolResults = (result: RunResult) => result.steps.flatMap((step) => step.toolResults);
const seeded = () => new InMemory{{Name}}([{ text: 'Release 4.2 fixed the Safari checkout', author: 'sam', at: NOW }], () => NOW);
const add = { text: 'QA verified release 4.2' };

describe('the {{name}} skill in an Agent', () => {
  it('declares its scopes and offers only what is granted', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: '{{snake}}_add', input: add }] }, { text: 'I may not add notes.' }]);
    const backend = seeded();
    const { agent, audit } = agentFor(backend, model, { grants: ['{{name}}:read'] });
    expect({{camel}}Skill.scopes).toEqual({{SNAKE}}_SCOPES);
    const result = await agent.run('Note that QA verified release 4.2.');
    expect(model.requests[0]!.tools.map((t) => t.name)).toEqual(['{{snake}}_search']);
    expect(toolResults(result)[0]).toMatchObject({ status: 'denied', errorCode: 'PERMISSION_DENIED' });
    expect(await backend.search('QA', 10)).toEqual([]);
    expect(await audit.list({ type: 'permission.denied' })).toHaveLength(1);
  });

  it('marks search results as untrusted content', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: '{{snake}}_search', input: { text: 'safari' } }] }, { text: 'Found it.' }]);
    const { agent } = agentFor(seeded(), model);
    await agent.run('What do my notes say about Safari?');
    expect(model.requests[1]!.messages.at(-1)!.content).toContain('<untrusted-content source="{{snake}}_search">');
  });

  it('previews a note in the sandbox and adds nothing', async () => {
    const backend = seeded();
    const model = new ScriptedModel([{ toolCalls: [{ name: '{{snake}}_add', input: add }] }, { text: 'Previewed.' }]);
    const { agent } = agentFor(backend, model);
    const result = await agent.run('Note that QA verified release 4.2.');
    expect(result.actions.map((a) => [a.mode, a.summary])).toEqual([['previewed', 'Would add the note "QA verified release 4.2"']]);
    expect(await backend.search('QA', 10)).toEqual([]);
  });

  it('waits for approval in production, bound to the exact input, and adds the note once approved', async () => {
    const backend = seeded();
    // The service keeps approval requests in one store (SQLite or PostgreSQL in production); the later agent uses it too.
    const approvalStore = new InMemoryApprovalStore();
    const first = agentFor(backend, new ScriptedModel([{ toolCalls: [{ name: '{{snake}}_add', input: add }] }]), { environment: 'production', approvalStore });
    const suspended = await first.agent.run('Note that QA verified release 4.2.');
    expect(suspended.stopReason).toBe('suspended');
    const request = suspended.pending![0]!;
    expect(request.input).toEqual(add);

    const later = agentFor(backend, new ScriptedModel([{ text: 'Added.' }]), { environment: 'production', approvalStore });
    const resumed = await later.agent.resume(suspended.state!, [{ decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash }]);
    expect(resumed.actions.map((a) => [a.toolName, a.mode])).toEqual([['{{snake}}_add', 'performed']]);
    expect((await backend.search('QA', 10)).map((n) => [n.text, n.author])).toEqual([['QA verified release 4.2', 'priya']]);
  });

  it('refuses a configuration without a backend', () => {
    expect(() => {{camel}}Skill.configure({} as never)).toThrow(/backend/);
  });
});
