/**
 * Captures a command's output within a size limit and picks out the lines it addresses to Claw.
 *
 * Protocol: a line `claw.<key>=<value>` on stdout is a directive (`claw.sha=<sha>`, `claw.current=<sha>`,
 * `claw.commit=<sha> <subject>`); every other line is log. Directives are read as lines stream by, so they
 * survive even when the log is cut down to its tail.
 */

/** A `claw.<key>=<value>` line. */
export interface OutputDirective {
  key: string;
  value: string;
}

const DIRECTIVE = /^claw\.([a-z][a-z0-9_-]*)=(.*)$/;
/** More directives than this are dropped: a plan never needs more commits, and memory stays bounded. */
const MAX_DIRECTIVES = 1_000;
/** A line longer than this is log, not a directive, and is not buffered further. */
const MAX_LINE = 16 * 1024;

/** Collects the tail of a command's combined output and its directives. */
export class OutputCapture {
  readonly directives: OutputDirective[] = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;
  private partial = '';
  /** Inside a line that grew past MAX_LINE: its remainder must not be read as the start of a line. */
  private overlong = false;

  constructor(private readonly maxBytes: number) {}

  /** Adds a chunk; stdout chunks are also scanned for directives. */
  push(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.maxBytes) {
      const first = this.chunks[0]!;
      const excess = this.size - this.maxBytes;
      if (first.length <= excess) this.chunks.shift();
      else this.chunks[0] = first.subarray(excess);
      const removed = Math.min(first.length, excess);
      this.size -= removed;
      this.dropped += removed;
    }
    if (stream === 'stdout') this.scan(chunk.toString('utf8'));
  }

  /** Call once the stream has ended, so a last line without a newline is read too. */
  end(): void {
    if (this.partial && !this.overlong) this.line(this.partial);
    this.partial = '';
  }

  /** The last `maxBytes` of output, with a marker when earlier output was dropped. */
  tail(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `[${this.dropped} earlier bytes dropped]\n${text}` : text;
  }

  /** True when output beyond the limit was dropped. */
  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** The value of the last directive with that key. */
  last(key: string): string | undefined {
    for (let i = this.directives.length - 1; i >= 0; i--) if (this.directives[i]!.key === key) return this.directives[i]!.value;
    return undefined;
  }

  /** Every value of a directive key, in order. */
  all(key: string): string[] {
    return this.directives.filter((d) => d.key === key).map((d) => d.value);
  }

  private scan(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (this.overlong) this.overlong = false;
      else this.line(line);
    }
    if (this.partial.length > MAX_LINE) {
      this.partial = '';
      this.overlong = true;
    }
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const match = DIRECTIVE.exec(line);
    if (match && this.directives.length < MAX_DIRECTIVES) this.directives.push({ key: match[1]!, value: match[2]!.trim() });
  }
}
