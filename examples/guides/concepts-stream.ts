/**
 * docs/concepts.md: the same events as an async iterator, ending with the run's result.
 * Run: npx tsx --conditions=claw-source examples/guides/concepts-stream.ts
 */
import { Agent } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { wikiSkill } from './concepts-skill';

const agent = new Agent({
  model: new ScriptedModel([
    { toolCalls: [{ name: 'wiki_search', input: { words: 'on-call' } }] },
    { text: 'The on-call engineer answers pages within 15 minutes.' },
  ]),
  skills: [wikiSkill.configure({})],
  principal: { id: 'priya' },
  grants: ['wiki:read'],
});

const seen: string[] = [];
for await (const event of agent.stream('How fast must on-call answer?')) {
  if (event.type === 'text:delta') process.stdout.write(event.data.text);
  seen.push(event.type);
}
console.log(`\n${seen.join(' ')}`);
