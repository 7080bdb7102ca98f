/** Helpers shared by the MCP tests: temp dirs, spawning a TypeScript fixture over stdio, and result text. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The repository root (where tsx is installed). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The command and arguments that run a TypeScript file of this package's test fixtures with tsx. */
export function tsxCommand(fixture: string): { command: string; args: string[]; cwd: string } {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', '--conditions=claw-source', fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url))],
    cwd: repoRoot,
  };
}

/** A fresh temporary directory and a function removing it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The text of a tools/call result. */
export function textOf(result: unknown): string {
  return ((result as CallToolResult).content ?? []).map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
}
