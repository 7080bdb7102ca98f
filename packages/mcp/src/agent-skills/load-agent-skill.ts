import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { defineSkill, InvalidArgumentError, type ConfiguredSkill, type PolicyRule, type Tool } from '@claw/core';
import { z } from 'zod';
import { AgentSkillFormatError } from '../errors/agent-skill-format-error';
import { parseSkillMarkdown, type AgentSkillDocument } from './parse-skill-md';

/** A SKILL.md folder as read from disk: the parsed document and the other files it holds (never run). */
export interface AgentSkillFolder extends AgentSkillDocument {
  /** The folder. */
  dir: string;
  /** Every other file in the folder (relative paths), e.g. `scripts/fill.py`: listed for review, never executed. */
  files: string[];
}

/** What the operator adds to a SKILL.md folder when loading it. */
export interface LoadAgentSkillOptions {
  /**
   * Tools that expose parts of the folder (say, one of its scripts) — written and scoped by the operator with
   * `defineTool`. Nothing in the folder runs otherwise. They are always allowed by the skill's `allowed-tools`.
   */
  tools?: readonly Tool[];
  /** The scopes those tools use, each with a description a person can review. */
  scopes?: Readonly<Record<string, string>>;
}

const MAX_FILES = 1000;

/**
 * Reads a SKILL.md folder: parses its SKILL.md and lists its other files without reading or running them.
 * @throws AgentSkillFormatError on a malformed SKILL.md (file, line and column in the message) or a name that is not
 * the folder's; InvalidArgumentError when the folder has no SKILL.md.
 */
export async function readAgentSkill(dir: string): Promise<AgentSkillFolder> {
  const folder = resolve(dir);
  const file = join(folder, 'SKILL.md');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`No SKILL.md could be read in ${folder}: ${error instanceof Error ? error.message : String(error)}. Point to the skill's folder.`, { cause: error });
  }
  const document = parseSkillMarkdown(text, file);
  if (document.frontmatter.name !== basename(folder)) {
    const line = text.split(/\r?\n/).findIndex((l) => /^name\s*:/.test(l)) + 1;
    throw new AgentSkillFormatError(file, Math.max(line, 1), 1, `"name" is "${document.frontmatter.name}" but the folder is "${basename(folder)}"; the Agent Skills format requires them to match.`);
  }
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => relative(folder, join(e.parentPath, e.name)))
    .filter((f) => f !== 'SKILL.md')
    .sort()
    .slice(0, MAX_FILES);
  return { ...document, dir: folder, files };
}

/**
 * Turns a parsed SKILL.md into a Claw skill: the body becomes its instructions (metered as `skill_instructions`),
 * and `allowed-tools` becomes a deny rule for every other tool, which the agent's policy enforces on every call
 * while the skill is configured on it — `email:*` granted or not. Its own operator-given tools are always allowed.
 * @throws SkillDefinitionError when the operator's tools use scopes not given in `scopes`.
 */
export function agentSkillToClaw(document: AgentSkillDocument, options: LoadAgentSkillOptions = {}): ConfiguredSkill {
  const { frontmatter } = document;
  const tools = [...(options.tools ?? [])];
  const version = frontmatter.metadata?.version && /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/.test(frontmatter.metadata.version) ? frontmatter.metadata.version : '0.0.0';
  const rules: PolicyRule[] = [];
  if (frontmatter.allowedTools !== undefined) {
    const allowed = [...new Set([...frontmatter.allowedTools, ...tools.map((t) => t.name)])];
    rules.push({
      exceptTool: allowed,
      verdict: 'deny',
      reason: `the skill "${frontmatter.name}" allows only ${allowed.length === 0 ? 'no tools' : allowed.join(', ')} (its allowed-tools)`,
    });
  }
  return defineSkill({
    name: frontmatter.name,
    version,
    description: frontmatter.description,
    instructions: document.body,
    scopes: { ...options.scopes },
    config: z.object({}),
    tools,
    policyRules: () => rules,
  }).configure({});
}

/**
 * Loads a SKILL.md folder as a configured Claw skill (see {@link readAgentSkill} and {@link agentSkillToClaw}).
 * @throws AgentSkillFormatError, InvalidArgumentError or SkillDefinitionError as those do.
 */
export async function loadAgentSkill(dir: string, options: LoadAgentSkillOptions = {}): Promise<ConfiguredSkill> {
  return agentSkillToClaw(await readAgentSkill(dir), options);
}
