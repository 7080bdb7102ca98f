import { defineConfig } from 'tsup';

export default defineConfig([
  // The programmatic entry (`runClaw`): ESM and CommonJS.
  { entry: { index: 'src/index.ts' }, format: ['esm', 'cjs'], dts: true, clean: true, sourcemap: true, target: 'node20', shims: true },
  // The `claw` executable: ESM only, with its shebang.
  { entry: { bin: 'src/bin.ts' }, format: ['esm'], sourcemap: true, target: 'node20', banner: { js: '#!/usr/bin/env node' } },
]);
