/** Where a `claw` invocation writes and what it knows about its surroundings. */
export interface ClawIo {
  /** Results: tables, Markdown, JSON. */
  stdout: { write(text: string): unknown };
  /** Errors (one line) and progress bars. `isTTY` turns the progress bar on. */
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Directory relative paths are resolved against (the default store is `<cwd>/.claw/claw.db`). */
  cwd: string;
  /** Environment variables (`CLAW_STORE`, `CLAW_ORG`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The clock: usage windows end now, approvals expire against it. */
  now: () => number;
}

/** The process's own streams, working directory, environment and clock. */
export function processIo(): ClawIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, now: Date.now };
}
