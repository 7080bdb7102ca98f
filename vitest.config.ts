import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './scripts/summary-reporter';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the TypeScript sources of every workspace package, so `pnpm test` needs no build.
const packages = ['core', 'sqlite', 'postgres', 'openai', 'anthropic', 'skills-email', 'skills-deploy', 'skills-slack', 'pg-boss'];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@claw\/core\/testing$/, replacement: source('./packages/core/src/testing/index.ts') },
      ...packages.map((name) => ({
        find: new RegExp(`^@claw/${name}$`),
        replacement: source(`./packages/${name}/src/index.ts`),
      })),
    ],
  },
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'examples/**/*.test.ts', 'docs/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
