import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { openai } from '@claw/openai';
import { openClawDatabase } from '@claw/sqlite';
import { createAgent } from './create-agent';

const input = process.argv.slice(2).join(' ') || 'What do my notes say?';
mkdirSync('.claw', { recursive: true });
const db = openClawDatabase('.claw/claw.db');
try {
  const agent = createAgent({
    model: openai({ model: process.env.CLAW_MODEL ?? 'gpt-4o-mini' }),
    db,
    principal: { id: process.env.CLAW_PRINCIPAL ?? userInfo().username },
  });
  const result = await agent.run(input);
  console.log(result.text || `(${result.stopReason})`);
} finally {
  await db.close();
}
