import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A static file the console serves from its own package. */
export interface ConsoleAsset {
  body: string;
  contentType: string;
}

// This file (src/) and the bundle (dist/) both sit one level below the package root, next to assets/.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The folder holding uPlot's browser build. The published package carries a copy in dist/vendor/uplot (made by the
 * build), so the console needs no CDN and no uPlot install; running from the sources in the workspace, before a
 * build, it is read from the uplot development dependency.
 */
function uplotFolder(): string {
  const bundled = join(packageRoot, 'dist', 'vendor', 'uplot');
  if (existsSync(join(bundled, 'uPlot.iife.min.js'))) return bundled;
  return join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
}

function load(): Record<string, ConsoleAsset> {
  const uplot = uplotFolder();
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  return {
    'uplot.js': { body: readFileSync(join(uplot, 'uPlot.iife.min.js'), 'utf8'), contentType: js },
    'uplot.css': { body: readFileSync(join(uplot, 'uPlot.min.css'), 'utf8'), contentType: css },
    'console.js': { body: readFileSync(join(packageRoot, 'assets', 'console.js'), 'utf8'), contentType: js },
    'console.css': { body: readFileSync(join(packageRoot, 'assets', 'console.css'), 'utf8'), contentType: css },
  };
}

let cache: Record<string, ConsoleAsset> | undefined;

/** The asset of that file name, or undefined (read from disk once per process). */
export function consoleAsset(name: string): ConsoleAsset | undefined {
  cache ??= load();
  return Object.hasOwn(cache, name) ? cache[name] : undefined;
}
