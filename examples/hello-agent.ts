/**
 * Hello, agent: two tools, a scripted model, no network and no API key.
 * Run: pnpm example:hello (or npx tsx --conditions=claw-source examples/hello-agent.ts)
 */
import { z } from 'zod';
import { Agent, defineTool, InMemoryUsageLedger, Meter } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { modelFromEnv } from './support/model-from-env';

const weather = defineTool({
  name: 'weather_lookup',
  description: 'Current weather for a city',
  input: z.object({ city: z.string() }),
  scopes: ['weather:read'],
  effect: 'read',
  execute: async ({ city }) => ({ city, tempC: city === 'Oslo' ? 4 : 19, sky: 'clear' }),
});

const convert = defineTool({
  name: 'celsius_to_fahrenheit',
  description: 'Convert a temperature from Celsius to Fahrenheit',
  input: z.object({ celsius: z.number() }),
  scopes: [],
  unscoped: true,
  effect: 'read',
  execute: ({ celsius }) => ({ fahrenheit: Math.round((celsius * 9) / 5 + 32) }),
});

// Offline by default: the model's turns are scripted. Set CLAW_MODEL (and its API key) to use a real provider.
const model = modelFromEnv(
  () =>
    new ScriptedModel([
      { text: 'Let me check.', toolCalls: [{ name: 'weather_lookup', input: { city: 'Oslo' } }] },
      { toolCalls: [{ name: 'celsius_to_fahrenheit', input: { celsius: 4 } }] },
      { text: 'It is 4 °C (39 °F) and clear in Oslo.' },
    ]),
);

const ledger = new InMemoryUsageLedger();
const agent = new Agent({
  model,
  tools: [weather, convert],
  principal: { id: 'priya', managerId: 'raj' },
  grants: ['weather:read'],
  meter: new Meter({ ledger }),
  budget: { maxTokens: 20_000, maxSteps: 6 },
});

agent.on('step', ({ step }) => {
  const calls = step.toolResults.map((r) => `${r.call.name}(${JSON.stringify(r.call.input)}) -> ${r.content}`);
  console.log(`step ${step.step}: ${step.text || '(no text)'}${calls.length ? `\n  ${calls.join('\n  ')}` : ''}`);
});
agent.on('usage', (r) => console.log(`  usage: ${r.inputTokens} in + ${r.outputTokens} out tokens (${r.source}, ${r.encoding}, ${r.formulaVersion})`));

const result = await agent.run('What is the weather in Oslo, in Fahrenheit?');
console.log(`\nanswer: ${result.text}`);
console.log(`stop: ${result.stopReason}; ${result.usage.totalTokens} tokens over ${result.usage.calls} model calls`);
