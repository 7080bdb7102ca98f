import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InMemoryOrgDirectory, type OrgDirectory } from '@claw/core';
import { z } from 'zod';
import { CliUsageError } from '../cli-error';

/** The org file used when neither `--org` nor `CLAW_ORG` is given, relative to the working directory. */
export const DEFAULT_ORG_FILE = '.claw/org.json';

const personSchema = z.strictObject({
  managerId: z.string().min(1).optional(),
  team: z.string().min(1).optional(),
});

/**
 * The org file: who manages whom and who is in which team, e.g.
 * `{ "people": { "priya": { "managerId": "raj", "team": "payments" }, "raj": { "managerId": "ceo" } } }`.
 * It decides who may see whose usage, so it belongs to the operator, like the store's credentials.
 */
export const orgFileSchema = z.strictObject({
  people: z.record(z.string().min(1), personSchema),
});

/** The contents of an org file. */
export type OrgFile = z.infer<typeof orgFileSchema>;

/**
 * Loads the org directory from a JSON org file. When the default file is absent the directory is empty, so every
 * viewer sees their own usage only (deny by default); a file named explicitly must exist.
 * @throws CliUsageError when a named file is missing, or a file is not valid JSON of the org file's shape.
 */
export function loadOrgDirectory(file: string | undefined, cwd: string): { directory: OrgDirectory; path: string; found: boolean } {
  const explicit = file !== undefined;
  const path = resolveIn(cwd, file ?? DEFAULT_ORG_FILE);
  if (!existsSync(path)) {
    if (explicit) throw new CliUsageError(`No org file at ${path}: pass --org <file.json> (see docs/cli.md for its shape).`);
    return { directory: new InMemoryOrgDirectory({}), path, found: false };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`The org file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  const parsed = orgFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new CliUsageError(`The org file ${path} is malformed at ${where}: ${issue.message}. Expected { "people": { "<id>": { "managerId"?, "team"? } } }.`);
  }
  return { directory: new InMemoryOrgDirectory(parsed.data.people), path, found: true };
}

function resolveIn(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
