import { AbortedError } from '@claw/core';
import type { {{Name}}Backend, {{Name}}CallOptions, {{Name}}Note } from './{{name}}-backend';

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('The {{name}} request was aborted.');
}

/** A `{{Name}}Backend` in memory, for tests and demos: copies in, copies out. */
export class InMemory{{Name}} implements {{Name}}Backend {
  private readonly notes: {{Name}}Note[] = [];
  private next = 1;

  constructor(seed: readonly Omit<{{Name}}Note, 'id'>[] = [], private readonly clock: () => number = Date.now) {
    for (const note of seed) this.notes.push({ ...note, id: `n${this.next++}` });
  }

  async search(text: string, limit: number, options: {{Name}}CallOptions = {}): Promise<{{Name}}Note[]> {
    checkSignal(options.signal);
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    return this.notes
      .filter((note) => words.every((word) => note.text.toLowerCase().includes(word)))
      .slice(-limit)
      .reverse()
      .map((note) => ({ ...note }));
  }

  async add(note: { text: string; author: string }, options: {{Name}}CallOptions = {}): Promise<{{Name}}Note> {
    checkSignal(options.signal);
    const stored = { id: `n${this.next++}`, text: note.text, author: note.author, at: this.clock() };
    this.notes.push(stored);
    return { ...stored };
  }
}
