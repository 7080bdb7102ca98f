/**
 * docs/cli.md: `runClaw` in a program. Type-checked by docs/snippets.test.ts; it needs a service database, so it is
 * not run (packages/cli/test runs the same command against seeded stores).
 */
import { processIo, runClaw } from '@claw/cli';

// `claw audit verify --json` against a service's database, from a health check or a cron job.
const output: string[] = [];
const code = await runClaw(['--store', '/srv/triage/.claw/claw.db', 'audit', 'verify', '--json'], {
  ...processIo(),
  stdout: { write: (text: string) => output.push(text) },
});
if (code !== 0) console.error(`audit chain broken: ${output.join('')}`);
