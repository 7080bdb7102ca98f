import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SkillConfigError, SkillDefinitionError } from '../errors';
import { defineTool } from '../tools/define-tool';
import { defineSkill } from './define-skill';

const tool = (scopes: string[]) =>
  defineTool({ name: 'ticket_close', description: 'Close a ticket', input: z.object({ id: z.string() }), scopes, effect: 'write', execute: () => 'ok' });

describe('defineSkill', () => {
  it('rejects a tool that uses a scope the skill does not declare, at definition time', () => {
    expect(() =>
      defineSkill({ name: 'tickets', version: '1.0.0', description: 'd', instructions: '', scopes: { 'tickets:read': 'Read tickets' }, config: z.object({}), tools: [tool(['tickets:write'])] }),
    ).toThrow(/uses scope "tickets:write", which the skill does not declare/);
  });

  it('checks tool factories when configured', () => {
    const skill = defineSkill({ name: 'tickets', version: '1.0.0', description: 'd', instructions: '', scopes: { 'tickets:read': 'Read' }, config: z.object({}), tools: () => [tool(['tickets:write'])] });
    expect(() => skill.configure({})).toThrow(SkillDefinitionError);
  });

  it('accepts templated scopes declared as templates', () => {
    const deploy = defineTool({ name: 'deploy_start', description: 'Deploy', input: z.object({ environment: z.string() }), scopes: ['deploy:{environment}'], effect: 'deploy', execute: () => 'ok' });
    const skill = defineSkill({ name: 'deploy', version: '1.2.3', description: 'd', instructions: 'i', scopes: { 'deploy:{environment}': 'Deploy to an environment' }, config: z.object({}), tools: [deploy] });
    expect(skill.configure({}).tools.map((t) => t.name)).toEqual(['deploy_start']);
  });

  it('validates config with its schema and reports each issue', () => {
    const skill = defineSkill({ name: 'tickets', version: '1.0.0', description: 'd', instructions: '', scopes: { 'tickets:write': 'Close tickets' }, config: z.object({ baseUrl: z.string().url() }), tools: () => [tool(['tickets:write'])] });
    expect(() => skill.configure({ baseUrl: 'not a url' })).toThrow(SkillConfigError);
    expect(skill.configure({ baseUrl: 'https://tickets.example' }).tools).toHaveLength(1);
  });

  it('rejects bad names, versions and undocumented scopes', () => {
    const spec = { name: 'tickets', version: '1.0.0', description: 'd', instructions: '', scopes: {}, config: z.object({}), tools: [] };
    expect(() => defineSkill({ ...spec, name: 'Tickets' })).toThrow(SkillDefinitionError);
    expect(() => defineSkill({ ...spec, version: 'v1' })).toThrow(/semver/);
    expect(() => defineSkill({ ...spec, scopes: { 'a:b': ' ' } })).toThrow(/description/);
  });
});

describe('skill policy rules', () => {
  const closeTool = tool(['tickets:write']);
  const base = { name: 'tickets', version: '1.0.0', description: 'd', instructions: '', scopes: { 'tickets:write': 'Close' }, config: z.object({}), tools: [closeTool] };

  it('carries approve and deny rules into the configured skill', () => {
    const skill = defineSkill({ ...base, policyRules: () => [{ tool: 'ticket_close', verdict: 'approve', approvers: 2 }] });
    expect(skill.configure({}).policyRules).toEqual([{ tool: 'ticket_close', verdict: 'approve', approvers: 2 }]);
  });

  it('refuses a skill that tries to loosen policy with an allow rule', () => {
    const skill = defineSkill({ ...base, policyRules: () => [{ tool: 'ticket_close', verdict: 'allow' }] });
    expect(() => skill.configure({})).toThrow(/may only add "approve" or "deny"/);
  });
});
