import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent, countTokens, defineTool, InMemoryAuditLog, type UsageRecord } from '@claw/core';
import { ScriptedModel } from '@claw/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentSkillFormatError, loadAgentSkill, readAgentSkill } from '../src/index';
import { tempDir } from './support';

const inboxSummary = fileURLToPath(new URL('./fixtures/skills/inbox-summary', import.meta.url));
const principal = { id: 'priya', managerId: 'raj' };

function emailTools(sent: string[]) {
  return [
    defineTool({ name: 'email_search', description: 'Search mail', input: z.object({ query: z.string() }), scopes: ['email:read'], effect: 'read', execute: () => ({ ids: ['m1'] }) }),
    defineTool({
      name: 'email_send',
      description: 'Send mail',
      input: z.object({ to: z.string(), body: z.string() }),
      scopes: ['email:send'],
      effect: 'external',
      execute: ({ to }) => void sent.push(to),
    }),
  ];
}

describe('Agent Skills (SKILL.md folders)', () => {
  it('reads the frontmatter, the body as instructions, and lists the folder files without running them', async () => {
    const folder = await readAgentSkill(inboxSummary);
    expect(folder.frontmatter).toMatchObject({ name: 'inbox-summary', license: 'MIT', allowedTools: ['email_search', 'email_read'], metadata: { version: '1.2.0', author: 'ops-team' } });
    expect(folder.files).toEqual(['scripts/archive.sh']);
    const skill = await loadAgentSkill(inboxSummary);
    expect(skill).toMatchObject({ name: 'inbox-summary', version: '1.2.0', tools: [] });
    expect(skill.instructions).toBe(folder.body);
    expect(skill.instructions.startsWith('# Inbox summary')).toBe(true);
  });

  it('a skill whose allowed-tools excludes email_send cannot send, even with email:* granted and a human approving', async () => {
    const sent: string[] = [];
    const audit = new InMemoryAuditLog();
    const calls = () => new ScriptedModel([
      { toolCalls: [{ name: 'email_search', input: { query: 'is:unread' } }, { name: 'email_send', input: { to: 'raj@acme.test', body: 'summary' } }] },
      { text: 'done' },
    ]);
    const base = { tools: emailTools(sent), principal, grants: ['email:*'], environment: 'production' as const, approvals: async () => ({ decision: 'approve' as const, approver: 'raj' }) };
    const restricted = await new Agent({ ...base, model: calls(), skills: [await loadAgentSkill(inboxSummary)], audit }).run('What came in today?');
    const [search, send] = restricted.steps[0]!.toolResults;
    expect(search!.status).toBe('ok');
    expect(send).toMatchObject({ status: 'denied', errorCode: 'POLICY_DENIED' });
    expect(send!.content).toContain('the skill "inbox-summary" allows only email_search, email_read');
    expect(sent).toEqual([]);
    const decided = (await audit.list({ type: 'tool.call' })).map((e) => [e.data.toolName, e.data.decision]);
    expect(decided).toEqual([['email_search', 'allow'], ['email_send', 'deny']]);

    // The same agent without the skill sends (after the approval): the restriction is the skill's.
    const unrestricted = await new Agent({ ...base, model: calls() }).run('What came in today?');
    expect(unrestricted.steps[0]!.toolResults[1]!.status).toBe('ok');
    expect(sent).toEqual(['raj@acme.test']);
  });

  it('meters the instructions as skill_instructions', async () => {
    const skill = await loadAgentSkill(inboxSummary);
    const usage: UsageRecord[] = [];
    const agent = new Agent({ model: new ScriptedModel([{ text: 'Nothing new.' }]), skills: [skill], principal });
    agent.on('usage', (r) => usage.push(r));
    await agent.run('What came in today?');
    expect(usage[0]!.skills).toEqual(['inbox-summary']);
    expect(usage[0]!.estimate.skill_instructions).toBe(countTokens(`Skill "inbox-summary" (v1.2.0):\n${skill.instructions}`, usage[0]!.encoding as 'o200k_base'));
  });

  describe('folder scripts', () => {
    let tmp: ReturnType<typeof tempDir>;
    beforeEach(() => {
      tmp = tempDir('claw-skill-');
    });
    afterEach(() => tmp.remove());

    it('runs a script only when the operator exposes it as a declared, granted tool', async () => {
      const marker = join(tmp.dir, 'archived');
      const archive = defineTool({
        name: 'inbox_archive',
        description: 'Archive old mail with the skill script',
        input: z.object({}),
        scopes: ['inbox:archive'],
        effect: 'write',
        execute: async () => {
          await promisify(execFile)(join(inboxSummary, 'scripts/archive.sh'), [], { env: { ...process.env, ARCHIVE_MARKER: marker } });
          return { archived: true };
        },
      });
      const plain = await loadAgentSkill(inboxSummary);
      await new Agent({ model: new ScriptedModel([{ toolCalls: [{ name: 'inbox_archive', input: {} }] }, { text: 'no' }]), skills: [plain], principal, grants: ['inbox:*'], environment: 'production' }).run('Archive');
      expect(existsSync(marker)).toBe(false);

      const exposed = await loadAgentSkill(inboxSummary, { tools: [archive], scopes: { 'inbox:archive': 'Run the skill archive script' } });
      const ungranted = await new Agent({ model: new ScriptedModel([{ toolCalls: [{ name: 'inbox_archive', input: {} }] }, { text: 'no' }]), skills: [exposed], principal, environment: 'production' }).run('Archive');
      expect(ungranted.steps[0]!.toolResults[0]!.errorCode).toBe('PERMISSION_DENIED');
      expect(existsSync(marker)).toBe(false);
      const granted = await new Agent({ model: new ScriptedModel([{ toolCalls: [{ name: 'inbox_archive', input: {} }] }, { text: 'ok' }]), skills: [exposed], principal, grants: ['inbox:archive'], environment: 'production', policy: { rules: [{ tool: 'inbox_archive', verdict: 'allow' }] } }).run('Archive');
      expect(granted.steps[0]!.toolResults[0]!.status).toBe('ok');
      expect(existsSync(marker)).toBe(true);
    });

    function skillFolder(name: string, text: string): string {
      const dir = join(tmp.dir, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'SKILL.md'), text);
      return dir;
    }

    it.each([
      ['no frontmatter', '# Just markdown\n', 1, 'must start with YAML frontmatter'],
      ['an unclosed frontmatter', '---\nname: broken\ndescription: x\n', 4, 'not closed'],
      ['invalid YAML', '---\nname: broken\ndescription: a: b\nlicense: MIT\n---\nbody\n', 3, 'Nested mappings are not allowed'],
      ['a missing description', '---\nname: broken\n---\nbody\n', 2, 'needs "description"'],
      ['a bad name', '---\nname: Broken_Skill\ndescription: x\n---\n', 2, 'lowercase letters'],
      ['allowed-tools of the wrong type', '---\nname: broken\ndescription: x\nallowed-tools:\n  tool: email_send\n---\n', 5, '"allowed-tools" must be'],
      ['metadata that is not a map of strings', '---\nname: broken\ndescription: x\nmetadata: [1, 2]\n---\n', 4, '"metadata" must be'],
      ['a duplicate key', '---\nname: broken\ndescription: x\ndescription: y\n---\n', 4, 'invalid YAML'],
    ])('rejects %s with the file and line', async (_case, text, line, problem) => {
      const dir = skillFolder('broken', text);
      const error = await loadAgentSkill(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgentSkillFormatError);
      const file = join(dir, 'SKILL.md');
      expect(error).toMatchObject({ code: 'SKILL_DEFINITION', file, line });
      expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}:\\d+: .*${problem.replace(/[.*+?^${}()|[\]\\"]/g, '\\$&')}`));
    });

    it('rejects a name that is not the folder name', async () => {
      const dir = skillFolder('inbox', '---\ndescription: x\nname: inbox-summary\n---\n');
      await expect(loadAgentSkill(dir)).rejects.toMatchObject({ line: 3, message: expect.stringContaining('the folder is "inbox"') });
    });

    it('copies of a valid folder load the same skill', async () => {
      cpSync(inboxSummary, join(tmp.dir, 'inbox-summary'), { recursive: true });
      expect((await loadAgentSkill(join(tmp.dir, 'inbox-summary'))).instructions).toBe((await loadAgentSkill(inboxSummary)).instructions);
    });
  });
});
