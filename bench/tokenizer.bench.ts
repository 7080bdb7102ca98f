/**
 * Issue 3 — token counting throughput (o200k_base) in MB/s of UTF-8 input:
 * (a) 100,000 distinct short messages of 20-200 characters (chat prose, compact JSON, code, log lines; seeded, so
 *     every run counts the same text), and (b) ~256 KB prose, code and pretty-printed JSON documents.
 *
 * Claw's `countTokens` splits text with tiktoken's own regex in JavaScript and caches each distinct chunk's count,
 * so a chunk seen before costs a map lookup. That makes "how warm is the cache" part of every Claw figure, and the
 * figure names say which case each is:
 * - cold: a fresh counter with an empty chunk cache, first pass over the text (every new chunk goes to WASM);
 * - unseen text, warm cache: a fresh counter that first counted the other 50,000 messages, timed on messages it
 *   has never seen (the steady state of a long-running service: new messages, familiar words);
 * - repeat: the same text counted again (every chunk cached).
 * Peers, each as its documented fastest counting call on one long-lived instance: gpt-tokenizer `countTokens`
 * (`gpt-tokenizer/encoding/o200k_base`), tiktoken `encode_ordinary(text).length` (WASM), js-tiktoken
 * `encode(text).length`. All run interleaved in one process (rotating order), medians over rounds. Before any
 * figure is reported, every library's count of every message and document must equal tiktoken's; a mismatch
 * fails the script.
 */
import { countTokens, TokenCounter } from '@claw/core';
import { countTokens as gptCountTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { getEncoding } from 'js-tiktoken';
import { get_encoding } from 'tiktoken';
import type { BenchRow } from './bench-row';
import { median, now, progress, scaled, significant } from './support/measure';
import { codeDocument, jsonDocument, proseDocument, shortMessages } from './support/text-corpus';

const MESSAGES = scaled(100_000, 4_000);
const DOCUMENT_BYTES = scaled(256 * 1024, 16 * 1024);
const WARM_ROUNDS = scaled(3, 1);
const COLD_ROUNDS = scaled(3, 1);
const DOCUMENT_ROUNDS = scaled(7, 1);

type Count = (text: string) => number;
interface Library {
  name: string;
  count: Count;
}

/** Counts every text, returning the per-text counts and the seconds taken. */
function pass(count: Count, texts: readonly string[]): { counts: Int32Array; seconds: number } {
  const counts = new Int32Array(texts.length);
  const start = now();
  for (let i = 0; i < texts.length; i++) counts[i] = count(texts[i]!);
  return { counts, seconds: (now() - start) / 1000 };
}

/** Counts every text, returning the total and the seconds taken (the timed form: no per-text bookkeeping). */
function timedSum(count: Count, texts: readonly string[]): { total: number; seconds: number } {
  let total = 0;
  const start = now();
  for (let i = 0; i < texts.length; i++) total += count(texts[i]!);
  return { total, seconds: (now() - start) / 1000 };
}

function utf8Bytes(texts: readonly string[]): number {
  let bytes = 0;
  for (const text of texts) bytes += Buffer.byteLength(text);
  return bytes;
}

/** @throws Error naming the first text whose count differs from the reference. */
function verify(name: string, corpus: string, texts: readonly string[], counts: Int32Array, reference: Int32Array): void {
  for (let i = 0; i < texts.length; i++) {
    if (counts[i] !== reference[i]) {
      throw new Error(`${name} counts ${counts[i]} tokens where tiktoken counts ${reference[i]} (${corpus} #${i}: ${JSON.stringify(texts[i]!.slice(0, 120))})`);
    }
  }
}

/** A fresh Claw counter with its WASM encoder created but nothing cached (encoder creation is not part of the pass). */
function freshClawCounter(): TokenCounter {
  const counter = new TokenCounter('o200k_base');
  counter.encode('');
  return counter;
}

export default async function tokenizerBench(): Promise<BenchRow[]> {
  const tiktoken = get_encoding('o200k_base');
  const jsTiktoken = getEncoding('o200k_base');
  const peers: Library[] = [
    { name: 'gpt-tokenizer countTokens', count: (t) => gptCountTokens(t) },
    { name: 'tiktoken encode_ordinary (WASM)', count: (t) => tiktoken.encode_ordinary(t).length },
    { name: 'js-tiktoken encode', count: (t) => jsTiktoken.encode(t).length },
  ];
  const claw: Library = { name: 'Claw countTokens', count: (t) => countTokens(t, 'o200k_base') };
  for (const library of [...peers, claw]) library.count('warm up the encoder');

  const messages = shortMessages(MESSAGES);
  progress('tokenizer', `${MESSAGES} messages generated`);
  const documents = [
    { kind: 'prose', text: proseDocument(DOCUMENT_BYTES) },
    { kind: 'code', text: codeDocument(DOCUMENT_BYTES) },
    { kind: 'JSON', text: jsonDocument(DOCUMENT_BYTES) },
  ];

  // Reference counts from tiktoken; every other library must match them exactly, message by message.
  const reference = pass(peers[1]!.count, messages).counts;
  const documentReference = documents.map((d) => tiktoken.encode_ordinary(d.text).length);
  const referenceTotal = reference.reduce((a, b) => a + b, 0) + documentReference.reduce((a, b) => a + b, 0);

  progress('tokenizer', 'reference counts done');
  const rows: BenchRow[] = [];
  const messageBytes = utf8Bytes(messages);
  const firstHalf = messages.slice(0, MESSAGES / 2);
  const secondHalf = messages.slice(MESSAGES / 2);
  const secondHalfBytes = utf8Bytes(secondHalf);
  const secondHalfReference = reference.slice(MESSAGES / 2).reduce((a, b) => a + b, 0);

  // Claw cold: each round a fresh counter with an empty chunk cache counts all messages once.
  const cold: number[] = [];
  const unseen: number[] = [];
  for (let round = 0; round < COLD_ROUNDS; round++) {
    const counter = freshClawCounter();
    const first = pass((t) => counter.count(t), messages);
    verify('Claw countTokens (cold)', 'short message', messages, first.counts, reference);
    cold.push(messageBytes / first.seconds / 1e6);
    const warmedOnOtherHalf = freshClawCounter();
    for (const text of firstHalf) warmedOnOtherHalf.count(text);
    const second = timedSum((t) => warmedOnOtherHalf.count(t), secondHalf);
    if (second.total !== secondHalfReference) throw new Error(`Claw countTokens counted ${second.total} tokens in the unseen half, tiktoken ${secondHalfReference}.`);
    unseen.push(secondHalfBytes / second.seconds / 1e6);
  }

  progress('tokenizer', 'Claw cold rounds done');
  // Every peer's and Claw's process-wide counter must agree with tiktoken on every message (this is also each
  // one's first pass; for Claw it fills the process-wide chunk cache used by the repeat rounds below).
  const firstPass = new Map<string, number>();
  for (const library of [peers[0]!, peers[2]!, claw]) {
    const result = pass(library.count, messages);
    verify(library.name, 'short message', messages, result.counts, reference);
    firstPass.set(library.name, messageBytes / result.seconds / 1e6);
  }

  progress('tokenizer', 'counts verified');
  // Interleaved repeat rounds over both halves, rotating which library goes first.
  const libraries = [claw, ...peers];
  const full = new Map<string, number[]>(libraries.map((l) => [l.name, []]));
  const half = new Map<string, number[]>(libraries.map((l) => [l.name, []]));
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (let k = 0; k < libraries.length; k++) {
      const library = libraries[(round + k) % libraries.length]!;
      const a = timedSum(library.count, firstHalf);
      const b = timedSum(library.count, secondHalf);
      progress('tokenizer', `round ${round + 1}: ${library.name}`);
      if (a.total + b.total !== reference.reduce((x, y) => x + y, 0)) throw new Error(`${library.name} total changed between rounds.`);
      full.get(library.name)!.push(messageBytes / (a.seconds + b.seconds) / 1e6);
      half.get(library.name)!.push(secondHalfBytes / b.seconds / 1e6);
    }
  }
  const fastest = (byName: Map<string, number[]>) =>
    peers.map((p) => ({ name: p.name, value: median(byName.get(p.name)!) })).sort((x, y) => y.value - x.value)[0]!;
  const fastFull = fastest(full);
  const fastHalf = fastest(half);
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const target = '>= fastest exact peer';
  const shortRow = (figure: string, value: number, peer: { name: string; value: number }): BenchRow => ({
    figure,
    value: significant(value),
    unit: 'MB/s',
    comparedWith: `${peer.name} (fastest peer, same text, median)`,
    comparedValue: significant(peer.value),
    target,
    meetsTarget: value >= peer.value,
  });
  const corpus = `${MESSAGES / 1000}k short messages (${mb(messageBytes)})`;
  rows.push(
    shortRow(`tokenizer: ${corpus}, Claw repeat pass (every chunk already cached), median of ${WARM_ROUNDS}`, median(full.get(claw.name)!), fastFull),
    shortRow(`tokenizer: 50k unseen short messages, Claw with chunk cache warmed by the other 50k (steady state), median of ${COLD_ROUNDS}`, median(unseen), fastHalf),
    shortRow(`tokenizer: ${corpus}, Claw cold first pass (fresh counter, empty chunk cache), median of ${COLD_ROUNDS}`, median(cold), fastFull),
  );
  for (const peer of peers) {
    rows.push({ figure: `tokenizer: ${corpus}, ${peer.name}, median of ${WARM_ROUNDS}`, value: significant(median(full.get(peer.name)!)), unit: 'MB/s' });
  }
  rows.push({
    figure: `tokenizer: ${corpus}, gpt-tokenizer first pass in this process (its merge cache empty)`,
    value: significant(firstPass.get(peers[0]!.name)!),
    unit: 'MB/s',
  });

  for (const [index, document] of documents.entries()) {
    const texts = [document.text];
    const bytes = utf8Bytes(texts);
    const expected = documentReference[index]!;
    const check = (name: string, total: number) => {
      if (total !== expected) throw new Error(`${name} counts ${total} tokens in the ${document.kind} document where tiktoken counts ${expected}.`);
    };
    const coldRounds: number[] = [];
    for (let round = 0; round < COLD_ROUNDS; round++) {
      const counter = freshClawCounter();
      const result = timedSum((t) => counter.count(t), texts);
      check('Claw countTokens (cold)', result.total);
      coldRounds.push(bytes / result.seconds / 1e6);
    }
    const byName = new Map<string, number[]>(libraries.map((l) => [l.name, []]));
    for (const library of libraries) check(library.name, library.count(document.text));
    for (let round = 0; round < DOCUMENT_ROUNDS; round++) {
      for (let k = 0; k < libraries.length; k++) {
        const library = libraries[(round + k) % libraries.length]!;
        const result = timedSum(library.count, texts);
        check(library.name, result.total);
        byName.get(library.name)!.push(bytes / result.seconds / 1e6);
      }
    }
    progress('tokenizer', `${document.kind} document done`);
    const peer = fastest(byName);
    const label = `tokenizer: ${document.kind} document (${(bytes / 1024).toFixed(0)} KB)`;
    rows.push(
      { ...shortRow(`${label}, Claw repeat pass (every chunk cached), median of ${DOCUMENT_ROUNDS}`, median(byName.get(claw.name)!), peer), target: undefined, meetsTarget: undefined },
      { ...shortRow(`${label}, Claw cold first pass (empty chunk cache), median of ${COLD_ROUNDS}`, median(coldRounds), peer), target: undefined, meetsTarget: undefined },
    );
    for (const p of peers) rows.push({ figure: `${label}, ${p.name}, median of ${DOCUMENT_ROUNDS}`, value: significant(median(byName.get(p.name)!)), unit: 'MB/s' });
  }

  rows.push({
    figure: `tokenizer: counts checked identical to tiktoken for every message and document (Claw cold and warm, gpt-tokenizer, js-tiktoken)`,
    value: referenceTotal,
    unit: 'tokens',
    target: 'identical',
    meetsTarget: true,
  });
  tiktoken.free();
  return rows;
}
