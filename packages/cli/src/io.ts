/** Somewhere text is written: a stream, or anything with a `write`. */
export interface TextSink {
  /** Writes the text as it is (newlines included). */
  write(text: string): unknown;
  /** True for a terminal: the progress bar is drawn only then. */
  isTTY?: boolean;
  /** Width of the terminal, when it is one. */
  columns?: number;
}

/** Where a `claw` invocation writes and what it knows about its surroundings. */
export interface ClawIo {
  /** Results: tables, Markdown, JSON. */
  stdout: TextSink;
  /** Errors (one line) and progress bars. `isTTY` turns the progress bar on. */
  stderr: TextSink;
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
