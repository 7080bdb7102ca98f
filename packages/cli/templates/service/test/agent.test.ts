import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptedModel } from '@claw/core/testing';
import { openClawDatabase, type ClawDatabase } from '@claw/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgent } from '../src/create-agent';
import { inMemoryNotes } from '../src/notes-skill';

let dir: string;
let db: ClawDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'claw-service-'));
  db = openClawDatabase(join(dir, 'claw.db'));
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const principal = { id: 'priya', managerId: 'raj' };

describe('the service agent', () => {
  it('meters every model call into the SQLite ledger and audits what it did', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'note_search', input: { text: 'release' } }] }, { text: 'No notes about the release.' }]);
    const result = await createAgent({ model, db, principal }).run('What do my notes say about the release?');
    expect(result.text).toBe('No notes about the release.');
    const records = await db.ledger.query({ principalIds: ['priya'] });
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.totalTokens > 0)).toBe(true);
    expect((await db.audit.list({ type: 'tool.call' })).length).toBeGreaterThan(0);
    expect(await db.audit.verify()).toMatchObject({ valid: true });
  });

  it('previews a write in the sandbox and changes nothing', async () => {
    const notes = inMemoryNotes();
    const model = new ScriptedModel([{ toolCalls: [{ name: 'note_add', input: { text: 'Release 4.2 is out' } }] }, { text: 'Previewed.' }]);
    const result = await createAgent({ model, db, principal, notes }).run('Note that release 4.2 is out.');
    expect(result.actions.map((a) => a.mode)).toEqual(['previewed']);
    expect(await notes.search('release')).toEqual([]);
  });

  it('stores a write in production as a pending approval with the exact input', async () => {
    const model = new ScriptedModel([{ toolCalls: [{ name: 'note_add', input: { text: 'Release 4.2 is out' } }] }]);
    const result = await createAgent({ model, db, principal, environment: 'production' }).run('Note that release 4.2 is out.');
    expect(result.stopReason).toBe('suspended');
    const [pending] = await db.approvals.listPending('priya');
    expect(pending).toMatchObject({ toolName: 'note_add', input: { text: 'Release 4.2 is out' } });
  });
});
