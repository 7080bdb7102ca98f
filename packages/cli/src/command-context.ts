import type { Command } from 'commander';
import type { ClawIo } from './io';
import { loadOrgDirectory } from './org/org-file';
import { openStores, type CliStores } from './stores/open-stores';
import { DEFAULT_STORE, parseStoreLocation } from './stores/store-location';

/** Options every command accepts (`--store`, `--schema`, `--org`). */
export interface GlobalOptions {
  store?: string;
  schema?: string;
  org?: string;
}

/** What a command's action gets besides its own arguments. */
export interface CommandContext {
  io: ClawIo;
  /** Opens the stores named by `--store` / `CLAW_STORE` (default `.claw/claw.db`), runs `work`, and closes them. */
  withStores<T>(command: Command, work: (stores: CliStores) => Promise<T>): Promise<T>;
  /** The org directory named by `--org` / `CLAW_ORG` (default `.claw/org.json`). */
  orgDirectory(command: Command): ReturnType<typeof loadOrgDirectory>;
  /** Wraps a command's action: the exit code it resolves with becomes the invocation's. */
  action<A extends unknown[]>(run: (...args: A) => Promise<number>): (...args: A) => Promise<void>;
  /** The exit code of the action that ran (0 until one did). */
  readonly exitCode: number;
  /** Writes to stdout, ending with a newline. */
  print(text: string): void;
  /** Writes a value as pretty JSON to stdout. */
  printJson(value: unknown): void;
}

/** Builds the context of one invocation. */
export function commandContext(io: ClawIo): CommandContext {
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();
  let exitCode = 0;
  return {
    io,
    get exitCode() {
      return exitCode;
    },
    action(run) {
      return async (...args) => {
        exitCode = await run(...args);
      };
    },
    async withStores(command, work) {
      const options = globals(command);
      const location = parseStoreLocation(options.store ?? io.env.CLAW_STORE ?? DEFAULT_STORE, io.cwd);
      // The host's secret (`CLAW_KEY`, as the services pass it): keyed logs verify, and entries the CLI appends are sealed with it.
      const key = io.env.CLAW_KEY;
      const stores = await openStores(location, { ...(options.schema !== undefined ? { postgresSchema: options.schema } : {}), ...(key ? { key } : {}) });
      try {
        return await work(stores);
      } finally {
        await stores.close();
      }
    },
    orgDirectory(command) {
      return loadOrgDirectory(globals(command).org ?? io.env.CLAW_ORG, io.cwd);
    },
    print(text) {
      io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    printJson(value) {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
