/**
 * docs/getting-started.md: a first agent with a read tool and a write tool, run offline on a scripted model —
 * first in the sandbox (the refund is previewed), then in production (the refund waits for an approval).
 * Run: npx tsx --conditions=claw-source examples/guides/getting-started.ts
 */
import { z } from 'zod';
import { Agent, defineTool, InMemoryAuditLog, type ApprovalHandler } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';

// A stand-in for your order system.
const orders = new Map([['A-1001', { id: 'A-1001', customer: 'ola@customer.example', totalEur: 59, refundedEur: 0 }]]);

const orderStatus = defineTool({
  name: 'order_status',
  description: 'Look up an order by id: customer, total and what was refunded',
  input: z.object({ id: z.string().describe('Order id, e.g. A-1001') }),
  scopes: ['orders:read'],
  effect: 'read',
  execute: ({ id }) => orders.get(id) ?? `No order ${id}.`,
});

const refundOrder = defineTool({
  name: 'order_refund',
  description: 'Refund part or all of an order to the customer',
  input: z.object({ id: z.string(), amountEur: z.number().positive(), reason: z.string().min(3) }),
  scopes: ['orders:refund'],
  effect: 'write',
  preview: ({ id, amountEur, reason }) => ({ summary: `would refund €${amountEur} on order ${id} (${reason})` }),
  execute: ({ id, amountEur }) => {
    const order = orders.get(id);
    if (!order) throw new Error(`No order ${id}; check the id with order_status.`);
    order.refundedEur += amountEur;
    return { id, refundedEur: order.refundedEur };
  },
});

// The model's turns are scripted, so this runs offline, without an API key.
const script = () =>
  new ScriptedModel([
    { toolCalls: [{ name: 'order_status', input: { id: 'A-1001' } }] },
    { toolCalls: [{ name: 'order_refund', input: { id: 'A-1001', amountEur: 20, reason: 'late delivery' } }] },
    { text: 'Order A-1001: €20 refund for the late delivery.' },
  ]);

const sandboxAgent = new Agent({
  model: script(),
  tools: [orderStatus, refundOrder],
  principal: { id: 'priya', managerId: 'raj' },
  grants: ['orders:read', 'orders:refund'],
  budget: { maxTokens: 20_000, maxSteps: 6 },
});

const sandbox = await sandboxAgent.run('Order A-1001 arrived a week late. Refund €20.');
console.log(sandbox.stopReason, '|', sandbox.text);
for (const action of sandbox.actions) console.log(`${action.mode}: ${action.summary}`);
console.log(`refunded: €${orders.get('A-1001')!.refundedEur}`);
// final | Order A-1001: €20 refund for the late delivery.
// previewed: would refund €20 on order A-1001 (late delivery)
// refunded: €0

const approvals: ApprovalHandler = async (request) => {
  console.log(`approval asked: ${request.preview?.summary} (${request.reason})`);
  return { decision: 'approve', approver: 'raj', requestId: request.id, inputHash: request.inputHash };
};
const audit = new InMemoryAuditLog();

const productionAgent = new Agent({
  model: script(),
  tools: [orderStatus, refundOrder],
  principal: { id: 'priya', managerId: 'raj' },
  grants: ['orders:read', 'orders:refund'],
  environment: 'production',
  approvals,
  audit,
  budget: { maxTokens: 20_000, maxSteps: 6 },
});
productionAgent.on('usage', (r) => console.log(`usage: step ${r.step}, ${r.inputTokens} in + ${r.outputTokens} out (${r.source})`));

const production = await productionAgent.run('Order A-1001 arrived a week late. Refund €20.');
for (const action of production.actions) console.log(`${action.mode}: ${action.toolName}`);
console.log(`refunded: €${orders.get('A-1001')!.refundedEur}`);
console.log(`tokens: ${production.usage.totalTokens}, audit chain valid: ${(await audit.verify()).valid}`);
// usage: step 1, … in + … out (estimated)
// usage: step 2, … in + … out (estimated)
// approval asked: would refund €20 on order A-1001 (late delivery) (writes in production need approval by default)
// usage: step 3, … in + … out (estimated)
// performed: order_refund
// refunded: €20
// tokens: …, audit chain valid: true
