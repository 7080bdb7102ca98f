import { SkillDefinitionError } from '@claw/core';

/**
 * A SKILL.md file is malformed: no frontmatter, invalid YAML, or a field the Agent Skills format does not allow.
 * The message starts with `file:line:column` so editors can jump to it. Its `code` is `SKILL_DEFINITION`.
 */
export class AgentSkillFormatError extends SkillDefinitionError {
  /** Path of the SKILL.md file. */
  readonly file: string;
  /** 1-based line of the problem in the file. */
  readonly line: number;
  /** 1-based column of the problem in the file. */
  readonly column: number;
  constructor(file: string, line: number, column: number, problem: string) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}
