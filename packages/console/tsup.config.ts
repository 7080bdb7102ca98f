import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';

/** uPlot's browser build, stylesheet and licence, copied into the package so the console serves them offline. */
const UPLOT_FILES = ['dist/uPlot.iife.min.js', 'dist/uPlot.min.css', 'LICENSE'];

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // import.meta.url locates the package's assets/ folder in the CommonJS build too.
  shims: true,
  onSuccess: async () => {
    const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
    const vendor = join('dist', 'vendor', 'uplot');
    mkdirSync(vendor, { recursive: true });
    for (const file of UPLOT_FILES) copyFileSync(join(uplot, file), join(vendor, file.split('/').pop()!));
  },
});
