/**
 * docs/concepts.md: which errors are thrown, and which a run reports in its result.
 * Run: npx tsx --conditions=claw-source examples/guides/concepts-errors.ts
 */
import { z } from 'zod';
import { Agent, ClawError, defineTool, type RunResult } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { wikiSkill } from './concepts-skill';

// Mistakes in definitions and configuration throw at once, each with a stable code.
try {
  defineTool({ name: 'Send Email', description: 'Send', input: z.object({}), scopes: [], effect: 'external', execute: () => 'sent' });
} catch (error) {
  if (error instanceof ClawError) console.log(`${error.code}: ${error.message}`);
}
try {
  wikiSkill.configure({ maxHits: 0 });
} catch (error) {
  if (error instanceof ClawError) console.log(`${error.code}: ${error.message}`);
}

// What goes wrong during a run does not throw: it is in the result.
function report(result: RunResult): string {
  const failed = result.steps.flatMap((s) => s.toolResults).filter((r) => r.isError);
  const calls = failed.map((r) => `${r.call.name} ${r.errorCode}`).join(', ');
  return `${result.stopReason}${result.error ? ` (${result.error.code})` : ''}; failed calls: ${calls || 'none'}`;
}

const model = new ScriptedModel([
  { toolCalls: [{ name: 'wiki_search', input: { words: 'x' } }, { name: 'wiki_delete', input: { title: 'Deploys' } }] },
  { text: 'Sorry, I could not search for that.' },
]);
const agent = new Agent({ model, skills: [wikiSkill.configure({})], principal: { id: 'priya' }, grants: ['wiki:read'] });
console.log(report(await agent.run('Search for x, then delete the deploy page')));
// final; failed calls: wiki_search TOOL_INPUT, wiki_delete TOOL_NOT_FOUND

const tight = new Agent({ model: new ScriptedModel([{ text: 'unreachable' }]), principal: { id: 'priya' }, budget: { maxTokens: 20 } });
console.log(report(await tight.run('Summarise the wiki')));
// budget (BUDGET_EXCEEDED); failed calls: none
