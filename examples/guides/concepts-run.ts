/**
 * docs/concepts.md: an agent with the wiki skill — permissions, events, a sandbox run and its result.
 * Run: npx tsx --conditions=claw-source examples/guides/concepts-run.ts
 */
import { Agent } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { wikiSkill } from './concepts-skill';

const edits = [
  { name: 'wiki_edit', input: { space: 'eng', title: 'Deploys', text: 'Deploys happen Monday to Thursday.' } },
  { name: 'wiki_edit', input: { space: 'sales', title: 'Deploys', text: 'Deploys happen Monday to Thursday.' } },
];
const model = new ScriptedModel([
  { toolCalls: [{ name: 'wiki_search', input: { words: 'deploys' } }] },
  { toolCalls: edits },
  { text: 'Updated eng/Deploys. I may not edit the sales space.' },
]);

const agent = new Agent({
  model,
  skills: [wikiSkill.configure({ maxHits: 3 })],
  principal: { id: 'priya', managerId: 'raj', team: 'platform' },
  grants: ['wiki:read', 'wiki:write:eng'],
});

console.log(agent.describePermissions().text);
// This agent acts for priya in the sandbox environment (side effects are previewed, never performed).
// - "wiki:read" (Search and read every wiki page) enables wiki_search, which reads data.
// - "wiki:write:eng" (…) enables wiki_edit, which changes data (needs approval in production).

agent.on('tool:call', ({ call }) => console.log(`call   ${call.name} ${JSON.stringify(call.input)}`));
agent.on('tool:result', ({ result }) => console.log(`result ${result.call.name}: ${result.status} ${result.errorCode ?? ''}`));

const result = await agent.run('Deploys now also happen on Mondays. Update the wiki.');
console.log(`${result.stopReason} after ${result.steps.length} steps: ${result.text}`);
for (const action of result.actions) console.log(`${action.mode} ${action.toolName}: ${action.summary}`);
// call   wiki_search {"words":"deploys"}
// result wiki_search: ok
// call   wiki_edit {"space":"eng","title":"Deploys","text":"Deploys happen Monday to Thursday."}
// call   wiki_edit {"space":"sales","title":"Deploys","text":"Deploys happen Monday to Thursday."}
// result wiki_edit: previewed
// result wiki_edit: denied PERMISSION_DENIED
// final after 3 steps: Updated eng/Deploys. I may not edit the sales space.
// previewed wiki_edit: would replace eng/Deploys (53 characters) with 34 characters
