import { defineConfig } from 'tsup';

export default defineConfig([
  // The runtime: ESM and CommonJS.
  { entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true, clean: true, sourcemap: true, target: 'node20' },
  // Test helpers: ESM only, because the conformance suites run on vitest, which cannot be required from CommonJS.
  { entry: { 'testing/index': 'src/testing/index.ts' }, format: ['esm'], dts: true, sourcemap: true, target: 'node20', external: ['vitest', '@claw/core'] },
]);
