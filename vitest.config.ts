import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './scripts/summary-reporter.ts';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the TypeScript sources of every workspace package, so `pnpm test` needs no build.
const packages = ['core', 'sqlite', 'postgres', 'openai', 'anthropic', 'skills-email', 'skills-deploy', 'skills-slack', 'console', 'mcp', 'cli', 'pg-boss'];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@claw\/core\/testing$/, replacement: source('./packages/core/src/testing/index.ts') },
      { find: /^@claw\/core\/conformance$/, replacement: source('./packages/core/src/testing/conformance/index.ts') },
      { find: /^@claw\/core\/store-kit$/, replacement: source('./packages/core/src/store-kit/index.ts') },
      ...packages.map((name) => ({
        find: new RegExp(`^@claw/${name}$`),
        replacement: source(`./packages/${name}/src/index.ts`),
      })),
    ],
  },
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'examples/**/*.test.ts', 'docs/**/*.test.ts', 'test/**/*.test.ts'],
    // Type tests (`*.test-d.ts`, vitest's expectTypeOf) run through tsc with the workspace tsconfig.
    typecheck: { enabled: true, include: ['packages/*/{src,test}/**/*.test-d.ts', 'test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
