import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from './support/built-cli';

const TICKETS = fileURLToPath(new URL('../../../examples/acme-skills-tickets', import.meta.url));

let cli: BuiltCli;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claw-cli-skills-'));
  // A review config as a reviewer writes one: the backend the tools are built on, two approvers for closes.
  writeFileSync(join(dir, 'review.ts'), `import { InMemoryTickets } from ${JSON.stringify(join(TICKETS, 'src/index.ts'))};\nexport default { backend: new InMemoryTickets([]), closeApprovers: 2 };\n`);
  // A module exporting a configured skill, and an installed package found by name.
  writeFileSync(join(dir, 'configured.ts'), `import { InMemoryTickets, ticketsSkill } from ${JSON.stringify(join(TICKETS, 'src/index.ts'))};\nexport const tickets = ticketsSkill.configure({ backend: new InMemoryTickets([]) });\n`);
  mkdirSync(join(dir, 'node_modules', '@acme'), { recursive: true });
  symlinkSync(TICKETS, join(dir, 'node_modules', '@acme', 'skills-tickets'), 'dir');
  writeFileSync(join(dir, 'plain.mjs'), 'export const nothing = 1;\n');
  cli = await buildCli();
});
afterAll(() => {
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const describeSkill = (...args: string[]) => cli.run(['skills', 'describe', ...args], { cwd: dir });

describe('claw skills describe', () => {
  it('prints the Markdown review sheet: scopes, tools and effects, approvals in production, what the grants enable and withhold', async () => {
    const run = await describeSkill(TICKETS, '--config', './review.ts', '--grants', 'tickets:read');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const sheet = run.stdout;
    expect(sheet).toMatch(/^# Permission review: tickets 1\.0\.0\n/);
    expect(sheet).toContain("| `tickets:read` | Search and read tickets, including customers' messages | `ticket_search`, `ticket_read` | yes |");
    expect(sheet).toContain('| `tickets:write` | Add internal notes to tickets and close them (previewed in the sandbox, approved in production) | `ticket_comment`, `ticket_close` | no |');
    expect(sheet).toContain('| `ticket_search` | read: reads data, changes nothing | `tickets:read` | runs without approval | untrusted (marked as data, never instructions) |');
    expect(sheet).toContain('| `ticket_comment` | write: changes data in your systems | `tickets:write` | needs approval (writes in production need approval by default) | trusted |');
    expect(sheet).toContain('| `ticket_close` | write: changes data in your systems | `tickets:write` | needs approval by 2 people (closing a ticket needs two approvers) | trusted |');
    expect(sheet).toContain("## With grants `tickets:read` (production)\n\nEnabled:\n\n- `tickets:read` (Search and read tickets, including customers' messages): `ticket_search`, `ticket_read`");
    expect(sheet).toContain('Withheld (not offered to the model, refused if called):\n\n- `ticket_comment`: needs `tickets:write`\n- `ticket_close`: needs `tickets:write`');
  });

  it('takes grants comma-separated or repeated, and prints the review as JSON', async () => {
    const run = await describeSkill('./configured.ts', '--grants', 'tickets:read,tickets:write', '--environment', 'sandbox', '--json');
    expect(run.code).toBe(0);
    const review = JSON.parse(run.stdout);
    expect(review.grants).toEqual(['tickets:read', 'tickets:write']);
    expect(review.permissions).toMatchObject({ environment: 'sandbox', withheld: [] });
    expect(review.tools.map((t: { name: string; effect: string; production: { decision: string } }) => [t.name, t.effect, t.production.decision])).toEqual([
      ['ticket_search', 'read', 'allow'],
      ['ticket_read', 'read', 'allow'],
      ['ticket_comment', 'write', 'approval'],
      ['ticket_close', 'write', 'approval'],
    ]);
    const repeated = JSON.parse((await describeSkill('./configured.ts', '--grants', 'tickets:read', '--grants', 'tickets:write', '--json')).stdout);
    expect(repeated.grants).toEqual(review.grants);
  });

  it('finds an installed package by name; without grants everything is withheld', async () => {
    const run = await describeSkill('@acme/skills-tickets', '--config', './review.ts');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('## With no grants (production)\n\nEnabled: no tool. The agent can only answer from what it is told.');
    expect(run.stdout).toContain('- `ticket_search`: needs `tickets:read`');
  });

  it('refuses a skill that needs configuration, a module without skills, a missing package and a bad environment, exit 2', async () => {
    const runs = await Promise.all([
      describeSkill(TICKETS),
      describeSkill('./plain.mjs'),
      describeSkill('@acme/not-installed'),
      describeSkill('./configured.ts', '--environment', 'staging'),
    ]);
    expect(runs.map((r) => [r.code, r.stdout])).toEqual(runs.map(() => [2, '']));
    expect(runs[0]!.stderr).toMatch(/^claw: Skill "tickets" needs configuration to list its tools: .*backend.* Pass --config <file\.json\|module\.ts>/);
    expect(runs[1]!.stderr).toMatch(/^claw: \.\/plain\.mjs \(.*plain\.mjs\) exports no skill/);
    expect(runs[2]!.stderr).toBe(`claw: Package "@acme/not-installed" is not installed in ${dir} or above it: install it, or pass its path.\n`);
    expect(runs[3]!.stderr).toBe('claw: --environment "staging" is not sandbox or production.\n');
    for (const run of runs) expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
