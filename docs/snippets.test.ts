/**
 * Keeps the guides honest: every TypeScript block in them is copied from a file that is type-checked here and,
 * when it is runnable, run here (offline, on ScriptedModel), and every relative link points at a file that exists.
 * The guides' code lives in examples/guides (runnable with tsx, like every example) and in the walk-through package
 * examples/acme-skills-tickets; docs/snippets holds what cannot run offline (PostgreSQL) or is checked elsewhere.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScriptedModel } from '@claw/core/testing';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The guides whose code blocks must come from checked files. */
const GUIDES = [
  'docs/getting-started.md',
  'docs/concepts.md',
  'docs/writing-a-skill.md',
  'docs/stores.md',
  'docs/providers.md',
  'docs/console.md',
  'docs/background.md',
  'docs/cli.md',
  'docs/interop.md',
  'packages/core/README.md',
];

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

/** Where a guide may copy TypeScript from. All of it is type-checked below. */
const SOURCES = [
  ...filesUnder('examples/guides'),
  ...filesUnder('docs/snippets'),
  ...filesUnder('examples/acme-skills-tickets/src'),
  ...filesUnder('examples/acme-skills-tickets/test'),
  'examples/support/model-from-env.ts',
  'examples/morning-triage.ts',
  'examples/mcp-server.ts',
  'examples/import-mcp.ts',
];

/** The fenced blocks of a markdown text with the given info string. */
function codeBlocks(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const pattern = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of markdown.matchAll(pattern)) blocks.push(match[1]!.replace(/\n$/, ''));
  return blocks;
}

describe('guides', () => {
  const sources = SOURCES.map((path) => ({ path, text: read(path) }));

  it.each(GUIDES)('%s quotes every TypeScript block verbatim from a checked file', (guide) => {
    const markdown = read(guide);
    const blocks = codeBlocks(markdown, 'ts');
    expect(blocks.length, `${guide} has no ts blocks`).toBeGreaterThan(0);
    const unquoted = blocks.filter((block) => !sources.some((source) => source.text.includes(block)));
    expect(unquoted.map((block) => block.split('\n')[0])).toEqual([]);
    expect(codeBlocks(markdown, '(?:typescript|js|javascript|tsx)'), `${guide}: use \`\`\`ts for code`).toEqual([]);
  });

  it('writing-a-skill.md quotes the package files it shows verbatim', () => {
    const files = ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((name) => read(`examples/acme-skills-tickets/${name}`));
    const blocks = codeBlocks(read('docs/writing-a-skill.md'), 'json');
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((block) => !files.some((file) => file.includes(block)))).toEqual([]);
  });

  it.each(GUIDES)('%s links only to files that exist', (guide) => {
    const markdown = read(guide).replace(/^```[\s\S]*?^```$/gm, '');
    const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const missing = targets.filter((target) => !existsSync(join(root, dirname(guide), target.split('#')[0]!)));
    expect(missing).toEqual([]);
  });
});

/** The workspace's compiler options, with @claw/* mapped to the TypeScript sources (as in vitest.config.ts). */
function compilerOptions(): ts.CompilerOptions {
  const base = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.base.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const paths: Record<string, string[]> = {
    '@claw/core/testing': [join(root, 'packages/core/src/testing/index.ts')],
    '@claw/core/conformance': [join(root, 'packages/core/src/testing/conformance/index.ts')],
    '@claw/core/store-kit': [join(root, 'packages/core/src/store-kit/index.ts')],
    '@claw/*': [join(root, 'packages/*/src/index.ts')],
    zod: [realpathSync(join(root, 'packages/core/node_modules/zod'))],
  };
  return { ...base.options, noEmit: true, paths };
}

describe('snippets type-check', () => {
  it('compiles every snippet, the walk-through package and the docs tests without errors', () => {
    const checked = [...SOURCES, ...filesUnder('docs').filter((f) => !f.startsWith('docs/snippets/') && !f.startsWith('docs/api/'))].map((f) => join(root, f));
    const program = ts.createProgram(checked, compilerOptions());
    const diagnostics = checked.flatMap((file) => {
      const source = program.getSourceFile(file);
      return source ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)] : [];
    });
    const messages = diagnostics.map((d) => {
      const where = d.file ? `${relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  }, 240_000);
});

describe('the walk-through package', () => {
  it('uses no deprecated API, zod 4 included', () => {
    const files = filesUnder('examples/acme-skills-tickets/src').map((f) => join(root, f));
    const options = compilerOptions();
    const service = ts.createLanguageService({
      getScriptFileNames: () => files,
      getScriptVersion: () => '1',
      getScriptSnapshot: (file) => (existsSync(file) ? ts.ScriptSnapshot.fromString(readFileSync(file, 'utf8')) : undefined),
      getCurrentDirectory: () => root,
      getCompilationSettings: () => options,
      getDefaultLibFileName: ts.getDefaultLibFilePath,
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    });
    const deprecated = files.flatMap((file) =>
      service
        .getSuggestionDiagnostics(file)
        .filter((d) => d.reportsDeprecated)
        .map((d) => `${relative(root, file)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
    );
    expect(deprecated).toEqual([]);
  }, 120_000);
});

/** Imports a snippet (running its top level) and returns what it printed, line by line. */
async function run(snippet: string): Promise<string[]> {
  let printed = '';
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (printed += `${format(...args)}\n`));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  await import(/* @vite-ignore */ `../examples/guides/${snippet}`);
  return printed.replace(/\n$/, '').split('\n');
}

describe('runnable snippets', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('getting-started: the sandbox previews the refund, production performs it after approval', async () => {
    const out = await run('getting-started.ts');
    expect(out.slice(0, 3)).toEqual([
      'final | Order A-1001: €20 refund for the late delivery.',
      'previewed: would refund €20 on order A-1001 (late delivery)',
      'refunded: €0',
    ]);
    const production = out.slice(3);
    // Two model calls, then the refund waits for the approval, then the final answer.
    expect(production.slice(0, 3).map((line) => line.replace(/\d+ in \+ \d+ out/, 'n in + n out'))).toEqual([
      'usage: step 1, n in + n out (estimated)',
      'usage: step 2, n in + n out (estimated)',
      'approval asked: would refund €20 on order A-1001 (late delivery) (writes in production need approval by default)',
    ]);
    expect(production[3]).toMatch(/^usage: step 3, \d+ in \+ \d+ out \(estimated\)$/);
    expect(out.slice(-3, -1)).toEqual(['performed: order_refund', 'refunded: €20']);
    expect(out.at(-1)).toMatch(/^tokens: \d+, audit chain valid: true$/);
  });

  it('core-quick-start: the README quick start answers after one tool call', async () => {
    expect(await run('core-quick-start.ts')).toEqual(['T-42 is open. final 2']);
  });

  it('getting-started-model: a hosted model only when a key is set', async () => {
    const { chooseModel } = await import('../examples/guides/getting-started-model');
    const offline = new ScriptedModel([]);
    expect(chooseModel({}, () => offline)).toBe(offline);
    expect(chooseModel({ OPENAI_API_KEY: 'sk-test' }, () => offline)).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(chooseModel({ ANTHROPIC_API_KEY: 'sk-ant-test' }, () => offline)).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
  });

  it('concepts-run: permissions, events and a sandbox run with one refused call', async () => {
    const out = await run('concepts-run.ts');
    expect(out.slice(0, 2)).toEqual([
      'This agent acts for priya in the sandbox environment (side effects are previewed, never performed).',
      '- "wiki:read" (Search and read every wiki page) enables wiki_search, which reads data.',
    ]);
    expect(out[2]).toMatch(/^- "wiki:write:eng" \(.+\) enables wiki_edit, which changes data \(needs approval in production\)\.$/);
    expect(out.filter((line) => line.startsWith('result '))).toEqual([
      'result wiki_search: ok ',
      'result wiki_edit: previewed ',
      'result wiki_edit: denied PERMISSION_DENIED',
    ]);
    expect(out.slice(-2)).toEqual([
      'final after 3 steps: Updated eng/Deploys. I may not edit the sales space.',
      'previewed wiki_edit: would replace eng/Deploys (53 characters) with 34 characters',
    ]);
  });

  it('concepts-stream: yields the events in order and ends with run:end', async () => {
    const out = await run('concepts-stream.ts');
    expect(out).toEqual([
      'The on-call engineer answers pages within 15 minutes.',
      `run:start model:request usage model:response tool:call tool:result step model:request ${'text:delta '.repeat(8)}usage model:response step run:end`,
    ]);
  });

  it('concepts-errors: definition mistakes throw with a code; run failures are in the result', async () => {
    const out = await run('concepts-errors.ts');
    expect(out[0]).toMatch(/^TOOL_DEFINITION: Tool name "Send Email" is invalid/);
    expect(out[1]).toMatch(/^SKILL_CONFIG: Skill "wiki" configuration is invalid: maxHits:/);
    expect(out.slice(2)).toEqual(['final; failed calls: wiki_search TOOL_INPUT, wiki_delete TOOL_NOT_FOUND', 'budget (BUDGET_EXCEEDED); failed calls: none']);
  });

  it('stores-sqlite: a run suspended in one process resumes from the file in another', async () => {
    const out = await run('stores-sqlite.ts');
    expect(out).toEqual([
      'suspended: would pause alerts of billing for 30 min',
      'final: Billing alerts are paused for 30 minutes.',
      'usage records: 2, audit chain valid: true',
    ]);
  });

  it('providers-builtin: names the provider by where it talks to', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-test');
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-test');
    const { hostedOpenAI, localOllama, hostedClaude } = await import('../examples/guides/providers-builtin');
    expect(hostedOpenAI()).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(localOllama()).toMatchObject({ provider: 'openai-compatible', model: 'llama3.2' });
    expect(hostedClaude()).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
  });

  it('interop-agent-skill: allowed-tools of a SKILL.md hold even with email:* granted', async () => {
    expect(await run('interop-agent-skill.ts')).toEqual(['weekly-status v1.0.0, files: 0', 'email_send: denied POLICY_DENIED; sent 0']);
  });
});
