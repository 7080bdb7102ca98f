import { readFile, rename, writeFile } from 'node:fs/promises';
import { StoreError } from '@claw/core';
import type { Deployment } from './deploy-target';
import { isFinalStatus } from './deploy-target';

interface RecordsFile {
  version: 1;
  deployments: Deployment[];
  /** What each deployment's idempotency key was used for, by deployment id (see `IdempotencyLedger`). */
  requests?: Record<string, string>;
}

/**
 * The deployments a target started, in memory and optionally in a JSON file, so history, rollbacks and
 * idempotency keys survive a restart. One process per file: concurrent writers would overwrite each other.
 */
export class DeploymentRecords {
  private readonly byId = new Map<string, Deployment>();
  private readonly requests = new Map<string, string>();
  private loaded: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: StoreError | undefined;

  constructor(
    private readonly file: string | undefined,
    private readonly now: () => number,
  ) {}

  /**
   * Loads the file once. Deployments it lists as live were orphaned by a previous process and are marked failed.
   * @throws StoreError when the file exists but is not a records file.
   */
  load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  get(id: string): Deployment | undefined {
    return this.byId.get(id);
  }

  /** The request fingerprint stored with a deployment. */
  fingerprint(id: string): string | undefined {
    return this.requests.get(id);
  }

  /** All deployments, newest first. */
  list(): Deployment[] {
    // Reversed insertion order first, so the stable sort breaks ties in start time newest first.
    return [...this.byId.values()].reverse().sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Adds or replaces a deployment and writes the file (writes are serialised, each replaces the file atomically). */
  put(deployment: Deployment, fingerprint: string): Promise<void> {
    this.byId.set(deployment.id, deployment);
    this.requests.set(deployment.id, fingerprint);
    if (!this.file) return Promise.resolve();
    const file = this.file;
    const body: RecordsFile = { version: 1, deployments: this.list(), requests: Object.fromEntries(this.requests) };
    const write = this.writing.then(async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, JSON.stringify(body, null, 1));
        await rename(temporary, file);
        this.failure = undefined;
      } catch (error) {
        this.failure = new StoreError(`Cannot write deploy state file ${file}: ${(error as Error).message}. Fix the path or permissions.`, { cause: error });
        throw this.failure;
      }
    });
    // The queue goes on after a failed write: the next write carries the full state again.
    this.writing = write.catch(() => undefined);
    return write;
  }

  /**
   * @throws StoreError when the last write of the state file failed, so a lost record is never silent.
   */
  assertWritable(): void {
    if (this.failure) throw this.failure;
  }

  private async read(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new StoreError(`Cannot read deploy state file ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    let parsed: RecordsFile;
    try {
      parsed = JSON.parse(text) as RecordsFile;
    } catch (error) {
      throw new StoreError(`Deploy state file ${this.file} is not JSON; move it away to start fresh.`, { cause: error });
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.deployments)) {
      throw new StoreError(`Deploy state file ${this.file} is not a Claw deploy state file (version 1); move it away to start fresh.`);
    }
    for (const deployment of [...parsed.deployments].reverse()) {
      if (!isFinalStatus(deployment.status)) {
        deployment.status = 'failed';
        deployment.finishedAt = this.now();
        deployment.reason = 'the process that ran this deployment exited before it finished; check what the environment is running';
      }
      this.byId.set(deployment.id, deployment);
    }
    for (const [id, fingerprint] of Object.entries(parsed.requests ?? {})) {
      if (typeof fingerprint === 'string') this.requests.set(id, fingerprint);
    }
  }
}
