/**
 * packages/core/README.md: the ten-line quick start.
 * Run: npx tsx --conditions=claw-source examples/guides/core-quick-start.ts
 */
import { z } from 'zod';
import { Agent, defineTool } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';

const lookup = defineTool({ name: 'ticket_lookup', description: 'Find a ticket by id', input: z.object({ id: z.string() }),
  scopes: ['tickets:read'], effect: 'read', execute: ({ id }) => ({ id, status: 'open' }) });
const model = new ScriptedModel([{ toolCalls: [{ name: 'ticket_lookup', input: { id: 'T-42' } }] }, { text: 'T-42 is open.' }]);
const agent = new Agent({ model, tools: [lookup], principal: { id: 'priya' }, grants: ['tickets:read'] });
const result = await agent.run('What is the status of T-42?');
console.log(result.text, result.stopReason, result.steps.length);
// T-42 is open. final 2
