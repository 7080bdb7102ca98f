import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('examples/inbox-triage.ts', () => {
  it('runs offline: previews the triage in the sandbox, then performs it after approval and prints usage', async () => {
    const env = { ...process.env };
    for (const key of ['CLAW_MODEL', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'CLAW_IMAP_URL', 'CLAW_SMTP_URL', 'CLAW_TRIAGE_APPLY']) delete env[key];
    // The example keeps its SQLite file under the checkout's .claw/ by default; a test must leave the tree as it was.
    const dir = mkdtempSync(join(tmpdir(), 'claw-inbox-triage-'));
    env['CLAW_DB'] = join(dir, 'claw.db');
    let stdout: string;
    try {
      ({ stdout } = await run(process.execPath, ['--import', 'tsx', '--conditions=claw-source', 'examples/inbox-triage.ts'], { cwd: root, env, timeout: 120_000 }));
      expect(existsSync(env['CLAW_DB'])).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [sandbox, production] = stdout.split('=== production ===');
    expect(sandbox).toContain('action: email_triage previewed: Triage of 8 messages in INBOX would move 1 message to Junk: "Action required: mailbox migration"');
    expect(sandbox).toContain('INBOX now holds 8 messages (stop: final)');
    expect(production).toContain('Raj reads the preview: Triage of 8 messages in INBOX would move');
    expect(production).toContain('action: email_triage performed');
    expect(production).toMatch(/Need the Q1 numbers before 3pm today\s+Action \/ urgent by rule: rule "Manager": sender raj@acme\.example/);
    expect(production).toMatch(/Question about our invoice\s+Action \/ high by model: Someone asks for a reply or a fix/);
    expect(production).toContain('INBOX now holds 4 messages (stop: final)');
    expect(production).toMatch(/usage: step 3 \d+ in \+ \d+ out tokens \(estimated, o200k_base, formula /);
    expect(production).toContain('"principalId":"priya","skills":["email"]');
  }, 150_000);
});
