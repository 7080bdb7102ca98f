import { defineConfig } from 'tsup';

// `@claw/core` imported by the test helpers is this package itself: left external, it resolves at run time to the
// one built runtime, so `instanceof ClawError` holds across entry points.
const self = /^@claw\/core(\/.*)?$/;

export default defineConfig([
  // The runtime, the store kit and the test helpers: ESM and CommonJS, sharing chunks so each module exists once.
  {
    entry: { index: 'src/index.ts', 'store-kit/index': 'src/store-kit/index.ts', 'testing/index': 'src/testing/index.ts' },
    format: ['esm', 'cjs'],
    splitting: true,
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    external: [self],
  },
  // The conformance suites register vitest tests, so they are ESM only (vitest cannot be required).
  {
    entry: { 'conformance/index': 'src/testing/conformance/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    external: ['vitest', self],
  },
]);
