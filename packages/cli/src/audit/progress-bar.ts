import { SingleBar } from 'cli-progress';
import type { ClawIo } from '../io';
import type { AuditProgress } from './verify-audit';

/** A progress callback and its end, for a long check. */
export interface Progress {
  update(progress: AuditProgress): void;
  stop(): void;
}

/**
 * A progress bar on stderr when stderr is a terminal; nothing otherwise, so pipes, files and scripts get only the
 * result on stdout.
 */
export function progressBar(io: ClawIo, label: string): Progress {
  if (!io.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} entries`,
    stream: io.stderr as NodeJS.WritableStream,
    hideCursor: true,
    clearOnComplete: true,
    noTTYOutput: false,
  });
  let started = false;
  return {
    update({ verified, total }) {
      if (!started) {
        bar.start(total ?? Math.max(verified, 1), verified);
        started = true;
      } else {
        if (total !== undefined) bar.setTotal(total);
        bar.update(verified);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
