import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { AgentSkillFormatError } from '../errors/agent-skill-format-error';

/** The frontmatter fields of the Agent Skills format (agentskills.io), parsed. */
export interface AgentSkillFrontmatter {
  /** 1-64 characters of a-z, 0-9 and single hyphens; the folder's name. */
  name: string;
  /** What the skill does and when to use it; at most 1024 characters. */
  description: string;
  license?: string;
  /** Environment requirements; at most 500 characters. */
  compatibility?: string;
  /** Free string-to-string properties (`version` becomes the Claw skill's version when it is semver). */
  metadata?: Record<string, string>;
  /** Tool names the skill may use; in Claw a hard restriction while the skill is active. */
  allowedTools?: string[];
  /** Other keys some hosts add (e.g. `model`), kept but not interpreted. */
  extra: Record<string, unknown>;
}

/** A parsed SKILL.md: frontmatter and the Markdown body (the skill's instructions). */
export interface AgentSkillDocument {
  /** The file it was read from (used in error messages). */
  file: string;
  frontmatter: AgentSkillFrontmatter;
  /** The Markdown after the frontmatter, trimmed. */
  body: string;
}

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KNOWN = new Set(['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools']);

/**
 * Parses the text of a SKILL.md: YAML frontmatter between `---` lines, then the body.
 * @throws AgentSkillFormatError naming the file, line and column of the first problem.
 */
export function parseSkillMarkdown(text: string, file = 'SKILL.md'): AgentSkillDocument {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const fail = (line: number, column: number, problem: string): never => {
    throw new AgentSkillFormatError(file, line, column, problem);
  };
  if (lines[0]?.trim() !== '---') fail(1, 1, 'a SKILL.md must start with YAML frontmatter: a line "---", the fields (name, description, ...), and another "---".');
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end === -1) fail(lines.length, 1, 'the frontmatter is not closed: add a line "---" after its last field.');
  const lineCounter = new LineCounter();
  const doc = parseDocument(lines.slice(1, end).join('\n'), { lineCounter, prettyErrors: false, uniqueKeys: true });
  // Frontmatter line n is file line n + 1 (after the opening "---").
  const at = (offset: number | undefined): [number, number] => {
    const pos = lineCounter.linePos(offset ?? 0);
    return [pos.line + 1, pos.col];
  };
  const yamlError = doc.errors[0];
  if (yamlError) fail(...at(yamlError.pos[0]), `invalid YAML in the frontmatter: ${yamlError.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) fail(2, 1, 'the frontmatter must be a mapping of fields such as "name: my-skill" and "description: ...".');
  const frontmatter = readFields(doc, (offset, problem) => fail(...at(offset), problem));
  return { file, frontmatter, body: lines.slice(end + 1).join('\n').trim() };
}

function readFields(doc: Document, fail: (offset: number | undefined, problem: string) => never): AgentSkillFrontmatter {
  const map = doc.contents as unknown as { items: { key: unknown; value: unknown }[] };
  const fields = new Map<string, { value: unknown; offset: number | undefined }>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    fields.set(key, { value: pair.value, offset: (pair.value as { range?: number[] } | null)?.range?.[0] ?? (pair.key as { range?: number[] }).range?.[0] });
  }
  const string = (key: string, required: boolean, max: number): string | undefined => {
    const field = fields.get(key);
    if (!field) {
      if (required) fail(0, `the frontmatter needs "${key}".`);
      return undefined;
    }
    const node = field.value;
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') fail(field.offset, `"${key}" must be a non-empty string.`);
    const value = ((node as { value: string }).value).trim();
    if (value.length > max) fail(field.offset, `"${key}" is ${value.length} characters long; the Agent Skills format allows at most ${max}.`);
    return value;
  };
  const name = string('name', true, 64)!;
  if (!NAME.test(name)) fail(fields.get('name')!.offset, `"name" is ${JSON.stringify(name)}: use lowercase letters, digits and single hyphens, not starting or ending with a hyphen.`);
  if (!/^[a-z]/.test(name)) fail(fields.get('name')!.offset, `"name" is ${JSON.stringify(name)}: Claw skill names must start with a letter.`);
  const description = string('description', true, 1024)!;
  const license = string('license', false, 1024);
  const compatibility = string('compatibility', false, 500);

  let metadata: Record<string, string> | undefined;
  const meta = fields.get('metadata');
  if (meta) {
    if (!isMap(meta.value)) fail(meta.offset, '"metadata" must be a mapping of string keys to string values.');
    metadata = {};
    for (const item of (meta.value as unknown as { items: { key: unknown; value: unknown }[] }).items) {
      const value = item.value;
      if (!isScalar(item.key) || !isScalar(value) || (typeof value.value !== 'string' && typeof value.value !== 'number')) {
        fail((value as { range?: number[] } | null)?.range?.[0] ?? meta.offset, '"metadata" values must be strings.');
      }
      metadata[String((item.key as { value: unknown }).value)] = String((value as { value: unknown }).value);
    }
  }

  let allowedTools: string[] | undefined;
  const allowed = fields.get('allowed-tools');
  if (allowed) {
    const node = allowed.value;
    if (isScalar(node) && typeof node.value === 'string') allowedTools = node.value.split(/[\s,]+/).filter(Boolean);
    else if (isSeq(node) && node.items.every((i) => isScalar(i) && typeof i.value === 'string')) allowedTools = node.items.map((i) => String((i as { value: unknown }).value).trim()).filter(Boolean);
    else fail(allowed.offset, '"allowed-tools" must be a space-separated string of tool names (or a list of them).');
  }

  const extra: Record<string, unknown> = {};
  for (const [key, field] of fields) if (!KNOWN.has(key)) extra[key] = (field.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? field.value;
  return {
    name,
    description,
    ...(license !== undefined ? { license } : {}),
    ...(compatibility !== undefined ? { compatibility } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(allowedTools !== undefined ? { allowedTools } : {}),
    extra,
  };
}
