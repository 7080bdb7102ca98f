import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('pnpm example:console', () => {
  it('serves the console with the demo sign-in, and Raj approves the pending send', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-example-console-'));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=claw-source', 'examples/console.ts'], {
      cwd: root,
      env: { ...process.env, CLAW_DB: join(dir, 'claw.db'), PORT: '0', CLAW_MODEL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+)\/demo/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`example exited with ${code}: ${out}`)));
      });
      expect((await fetch(`${url}/usage`, { redirect: 'manual' })).headers.get('location')).toBe('/demo');
      const signIn = await fetch(`${url}/demo/sign-in`, { method: 'POST', redirect: 'manual', headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'person=raj' });
      const demoCookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const approvals = await fetch(`${url}/approvals`, { headers: { cookie: demoCookie } });
      const page = await approvals.text();
      expect(page).toContain('DEMO sign-in');
      const cookie = `${demoCookie}; ${approvals.headers.get('set-cookie')!.split(';')[0]!}`;
      const id = /data-request="([^"]+)"/.exec(page)![1]!;
      const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)![1]!;
      const decided = await fetch(`${url}/approvals/${id}`, {
        method: 'POST',
        headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: field('csrf'), inputHash: field('inputHash'), decision: 'approve' }),
      });
      expect(await decided.text()).toContain('data-stop-reason="final"');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
