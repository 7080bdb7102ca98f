/** docs/getting-started.md: a hosted model when an API key is set, the offline script otherwise. */
import type { ModelProvider } from '@claw/core';
import { anthropic } from '@claw/anthropic';
import { openai } from '@claw/openai';

export function chooseModel(env: NodeJS.ProcessEnv, offline: () => ModelProvider): ModelProvider {
  if (env.OPENAI_API_KEY) return openai({ model: 'gpt-4o-mini', apiKey: env.OPENAI_API_KEY });
  if (env.ANTHROPIC_API_KEY) return anthropic({ model: 'claude-sonnet-4-6', apiKey: env.ANTHROPIC_API_KEY });
  return offline();
}
