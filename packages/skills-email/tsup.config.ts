import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The public types use Node's Buffer and node:tls; the reference makes a consumer's compiler load @types/node,
  // which this package depends on.
  dts: { banner: '/// <reference types="node" />' },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
