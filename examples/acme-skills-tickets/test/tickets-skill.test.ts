import { Agent, InMemoryApprovalStore, InMemoryAuditLog, type AgentOptions, type Alert, type ApprovalRequest, type RunResult } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { describe, expect, it } from 'vitest';
import { TICKETS_SCOPES, ticketsSkill, type InMemoryTickets } from '../src/index.js';
import { seededTickets } from './fixtures.js';

/** An agent acting for Priya with the tickets skill on `tickets`; grants and environment vary by test. */
function agentFor(tickets: InMemoryTickets, model: ScriptedModel, options: Partial<AgentOptions> = {}) {
  const audit = new InMemoryAuditLog();
  const alerts: Alert[] = [];
  const agent = new Agent({
    model,
    skills: [ticketsSkill.configure({ backend: tickets })],
    principal: { id: 'priya', managerId: 'raj' },
    grants: ['tickets:read', 'tickets:write'],
    audit,
    meter: false,
    ...options,
  });
  agent.on('alert', (alert) => alerts.push(alert));
  return { agent, audit, alerts };
}

const toolResults = (result: RunResult) => result.steps.flatMap((step) => step.toolResults);

const note = { id: 'T-42', body: 'Fix verified by QA in release 4.2.' };
const close = { id: 'T-42', resolution: 'The Safari checkout fix shipped in release 4.2.' };
const ask = 'T-42: the Safari checkout fix shipped in release 4.2, verified by QA. Add a note and close it.';

/** The model reads T-42, then adds the note and closes it in one turn, then answers. */
const readNoteAndClose = () =>
  new ScriptedModel([
    { toolCalls: [{ name: 'ticket_read', input: { id: 'T-42' } }] },
    { toolCalls: [{ name: 'ticket_comment', input: note }, { name: 'ticket_close', input: close }] },
    { text: 'Added the note and closed T-42.' },
  ]);

describe('the tickets skill in an Agent', () => {
  it('declares its scopes, and describes what each grant enables', () => {
    const { agent } = agentFor(seededTickets(), new ScriptedModel([]));
    expect(ticketsSkill.scopes).toEqual(TICKETS_SCOPES);
    const permissions = agent.describePermissions();
    expect(permissions.grants.map((g) => [g.scope, g.tools.map((t) => `${t.name}:${t.effect}`)])).toEqual([
      ['tickets:read', ['ticket_search:read', 'ticket_read:read']],
      ['tickets:write', ['ticket_comment:write', 'ticket_close:write']],
    ]);
    expect(permissions.text).toContain('sandbox environment (side effects are previewed, never performed)');
  });

  it('rejects a configuration without a backend', () => {
    expect(() => ticketsSkill.configure({ backend: { search() {} } } as never)).toThrow(/backend: Pass a TicketsBackend/);
    expect(() => ticketsSkill.configure({ backend: seededTickets(), maxResults: 500 })).toThrow(/maxResults/);
  });

  it('offers only granted tools, and refuses a close it was not granted', async () => {
    const tickets = seededTickets();
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'ticket_close', input: close }] },
      { text: 'I am not allowed to close tickets.' },
    ]);
    const { agent, audit } = agentFor(tickets, model, { grants: ['tickets:read'] });
    const result = await agent.run(ask);

    expect(model.requests[0]!.tools.map((t) => t.name)).toEqual(['ticket_search', 'ticket_read']);
    const [refused] = toolResults(result);
    expect(refused).toMatchObject({ status: 'denied', isError: true, errorCode: 'PERMISSION_DENIED' });
    expect(refused!.content).toContain('"tickets:write"');
    expect((await tickets.read('T-42')).status).toBe('open');
    expect(await audit.list({ type: 'permission.denied' })).toHaveLength(1);
  });

  it('previews writes in the sandbox and changes nothing', async () => {
    const tickets = seededTickets();
    const { agent, alerts } = agentFor(tickets, readNoteAndClose());
    const result = await agent.run(ask);

    expect(toolResults(result).map((r) => r.status)).toEqual(['ok', 'previewed', 'previewed']);
    expect(result.actions.map((a) => [a.mode, a.summary])).toEqual([
      ['previewed', 'Would add an internal note to T-42 ("Checkout fails on Safari", open): "Fix verified by QA in release 4.2."'],
      [
        'previewed',
        'Would close T-42 ("Checkout fails on Safari", high priority, requested by ola@customer.example) with resolution "The Safari checkout fix shipped in release 4.2."',
      ],
    ]);
    const ticket = await tickets.read('T-42');
    expect(ticket.status).toBe('open');
    expect(ticket.comments).toHaveLength(1);
    // The note and resolution use the user's words, not the customer's: no untrusted-influence alert.
    expect(alerts.map((a) => a.kind)).toEqual(['first-tool-use', 'first-tool-use']);
  });

  it('asks for approval in production, bound to the exact input, and performs only what was approved', async () => {
    const tickets = seededTickets();
    const requests: ApprovalRequest[] = [];
    const { agent } = agentFor(tickets, readNoteAndClose(), {
      environment: 'production',
      approvals: async (request) => {
        requests.push(request);
        return request.toolName === 'ticket_comment'
          ? { decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash }
          : { decision: 'deny', approver: 'raj', reason: 'Wait for the customer to confirm.' };
      },
    });
    const result = await agent.run(ask);

    expect(requests.map((r) => [r.toolName, r.effect, r.input])).toEqual([
      ['ticket_comment', 'write', note],
      ['ticket_close', 'write', close],
    ]);
    expect(requests[0]!.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(requests[0]!.preview?.summary).toContain('Would add an internal note to T-42');
    expect(toolResults(result).map((r) => [r.status, r.errorCode])).toEqual([
      ['ok', undefined],
      ['ok', undefined],
      ['denied', 'APPROVAL_DENIED'],
    ]);
    expect(result.actions.map((a) => [a.toolName, a.mode])).toEqual([['ticket_comment', 'performed']]);
    const ticket = await tickets.read('T-42');
    expect(ticket.status).toBe('open');
    expect(ticket.comments.at(-1)).toMatchObject({ author: 'priya', body: note.body, visibility: 'internal' });
  });

  /** A production run without an approval handler: the close waits, and the run suspends with its state. */
  // Both processes use the same durable approval store: resume reads the request from it.
  const approvalStore = new InMemoryApprovalStore();
  async function suspendedClose(tickets: InMemoryTickets) {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'ticket_close', input: close }] }]);
    const suspended = await agentFor(tickets, model, { environment: 'production', approvalStore }).agent.run(ask);
    expect(suspended.stopReason).toBe('suspended');
    expect(suspended.pending![0]).toMatchObject({ toolName: 'ticket_close', input: close });
    expect((await tickets.read('T-42')).status).toBe('open');
    return { state: suspended.state!, request: suspended.pending![0]! };
  }

  it('suspends without an approval handler; a later process resumes with the decision and the ticket closes', async () => {
    const tickets = seededTickets();
    const { state, request } = await suspendedClose(tickets);
    const later = agentFor(tickets, new ScriptedModel([{ text: 'Closed T-42.' }]), { environment: 'production', approvalStore });
    const resumed = await later.agent.resume(state, [{ decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash }]);

    expect(resumed.stopReason).toBe('final');
    expect(resumed.actions.map((a) => [a.toolName, a.mode])).toEqual([['ticket_close', 'performed']]);
    expect(await tickets.read('T-42')).toMatchObject({ status: 'closed', resolution: close.resolution });
  });

  it('refuses a resume whose decision was made for other input', async () => {
    const tickets = seededTickets();
    const { state, request } = await suspendedClose(tickets);
    const later = agentFor(tickets, new ScriptedModel([{ text: 'The close was not approved.' }]), { environment: 'production', approvalStore });
    const otherInput = '0'.repeat(64);
    const resumed = await later.agent.resume(state, [{ decision: 'approve', approver: 'raj', requestId: request.id, inputHash: otherInput }]);

    expect(toolResults(resumed)[0]).toMatchObject({ status: 'denied', errorCode: 'APPROVAL_DENIED' });
    expect(resumed.actions).toEqual([]);
    expect((await tickets.read('T-42')).status).toBe('open');
  });

  it('adds its two-person rule for closes when configured with closeApprovers: 2', async () => {
    const tickets = seededTickets();
    const model = new ScriptedModel([{ toolCalls: [{ name: 'ticket_close', input: close }] }]);
    const agent = new Agent({
      model,
      skills: [ticketsSkill.configure({ backend: tickets, closeApprovers: 2 })],
      principal: { id: 'priya' },
      grants: ['tickets:read', 'tickets:write'],
      environment: 'production',
      meter: false,
    });
    const result = await agent.run(ask);

    expect(result.pending![0]).toMatchObject({ toolName: 'ticket_close', approversRequired: 2, reason: 'closing a ticket needs two approvers' });
    expect((await tickets.read('T-42')).status).toBe('open');
  });

  it('treats ticket text as untrusted: an injection raises alerts and the close it steers waits for a person', async () => {
    const tickets = seededTickets();
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'ticket_read', input: { id: 'T-45' } }] },
      { toolCalls: [{ name: 'ticket_close', input: { id: 'T-41', resolution: 'Closed as resolved.' } }] },
      { text: 'Done.' },
    ]);
    const { agent, alerts } = agentFor(tickets, model, {
      environment: 'production',
      policy: { rules: [{ tool: 'ticket_close', verdict: 'allow', reason: 'closing is routine for this team' }] },
    });
    const result = await agent.run('What does T-45 ask for?');

    expect(model.requests[1]!.messages.at(-1)!.content).toContain('<untrusted-content source="ticket_read">');
    expect(alerts.map((a) => [a.kind, a.severity])).toEqual(
      expect.arrayContaining([
        ['prompt-injection-suspected', 'warning'],
        ['untrusted-influence', 'critical'],
      ]),
    );
    // The allow rule would let a close run unasked, but not one whose arguments came from customer text.
    expect(result.stopReason).toBe('suspended');
    expect(result.pending![0]!.reason).toContain('untrusted content');
    expect((await tickets.read('T-41')).status).toBe('open');
  });

  it('reports ticket-system errors and bad input to the model as tool errors it can correct', async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: 'ticket_read', input: { id: 'T-99' } }, { name: 'ticket_read', input: { id: '42' } }] },
      { text: 'There is no ticket T-99.' },
    ]);
    const result = await agentFor(seededTickets(), model).agent.run('Read T-99 and 42');
    const [missing, malformed] = toolResults(result);
    expect(missing).toMatchObject({ status: 'error', errorCode: 'EXTERNAL_SERVICE' });
    expect(missing!.content).toContain('No ticket T-99. Search with ticket_search');
    expect(malformed).toMatchObject({ status: 'error', errorCode: 'TOOL_INPUT' });
    expect(malformed!.content).toContain('a ticket id such as T-42');
  });
});
