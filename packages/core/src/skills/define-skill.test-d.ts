import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type Tool } from '../tools';
import { defineSkill, type ConfiguredSkill, type Skill } from './define-skill';

const config = z.object({
  mailbox: z.string(),
  categories: z.array(z.string()).default(['work']),
  maxResults: z.number().int().transform((n) => Math.min(n, 50)).optional(),
});

const lookup = defineTool({
  name: 'ticket_lookup',
  description: 'Find a ticket',
  input: z.object({ id: z.string() }),
  scopes: ['tickets:read'],
  effect: 'read',
  execute: ({ id }) => ({ id }),
});

const skill = defineSkill({
  name: 'tickets',
  version: '1.0.0',
  description: 'Tickets',
  instructions: 'Use the ticket tools.',
  scopes: { 'tickets:read': 'Read tickets' },
  config,
  tools: (parsed) => {
    // The factory receives the schema's output: defaults applied, transforms run.
    expectTypeOf(parsed).toEqualTypeOf<{ mailbox: string; categories: string[]; maxResults?: number | undefined }>();
    return [lookup];
  },
});

describe('defineSkill types', () => {
  it('configure takes the schema input type', () => {
    expectTypeOf(skill).toEqualTypeOf<Skill<z.output<typeof config>, z.input<typeof config>>>();
    expectTypeOf(skill.configure).parameter(0).toEqualTypeOf<z.input<typeof config>>();
    expectTypeOf(skill.configure({ mailbox: 'INBOX' })).toEqualTypeOf<ConfiguredSkill>();
    // @ts-expect-error a misspelt field and a mistyped one do not compile
    skill.configure({ mailbx: 'oops', categories: 42 });
    // @ts-expect-error a required field is required
    skill.configure({ categories: ['work'] });
  });

  it('tools are typed', () => {
    expectTypeOf(lookup).toMatchTypeOf<Tool>();
  });
});
