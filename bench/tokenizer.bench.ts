/**
 * Issue 3 — token counting throughput (o200k_base) in MB/s of UTF-8 input:
 * (a) 100,000 distinct short messages of 20-200 characters (chat prose, compact JSON, code, log lines; seeded, so
 *     every run counts the same text), and (b) ~256 KB prose, code and pretty-printed JSON documents.
 *
 * Claw's `countTokens` splits text with tiktoken's own regex in JavaScript and caches each distinct chunk's count,
 * so a chunk seen before costs a map lookup. That makes "how warm is the cache" part of every Claw figure, and the
 * figure names say which case each is:
 * - cold: a fresh counter with an empty chunk cache, first pass over the text (every new chunk goes to WASM);
 * - unseen text, warm cache: the second half of that same pass, 50,000 messages the counter has never seen with
 *   a cache warmed by the first 50,000 (the steady state of a long-running service: new messages, familiar words);
 * - repeat: the same text counted again by the process-wide counter (every chunk cached).
 * Peers, each as its documented fastest counting call on one long-lived instance: gpt-tokenizer `countTokens`
 * (`gpt-tokenizer/encoding/o200k_base`), tiktoken `encode_ordinary(text).length` (WASM), js-tiktoken
 * `encode(text).length`. All run interleaved in one process (rotating order, Claw's cold passes included), medians
 * over rounds. Every timed pass's count of every message and document must equal tiktoken's; a mismatch fails the
 * script.
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
  const firstReference = reference.slice(0, MESSAGES / 2);
  const secondReference = reference.slice(MESSAGES / 2);

  // First passes, each verified message by message: gpt-tokenizer's fills its merge cache, Claw's fills the
  // process-wide chunk cache that the "repeat" figures below use; js-tiktoken's warms its JIT.
  const firstPass = new Map<string, number>();
  for (const library of [peers[0]!, peers[2]!, claw]) {
    const result = pass(library.count, messages);
    verify(library.name, 'short message', messages, result.counts, reference);
    firstPass.set(library.name, messageBytes / result.seconds / 1e6);
  }
  progress('tokenizer', 'first passes verified');

  // Rounds over both halves, rotating which goes first. "Claw fresh" is a new counter with an empty chunk cache:
  // its first half is a cold start, its second half is text it has never seen with a cache warmed by the first
  // 50k messages, and both halves together are its cold first pass over all messages.
  const fresh: Library = { name: 'Claw fresh counter', count: () => 0 };
  const libraries = [claw, fresh, ...peers];
  const full = new Map<string, number[]>(libraries.map((l) => [l.name, []]));
  const half = new Map<string, number[]>(libraries.map((l) => [l.name, []]));
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (let k = 0; k < libraries.length; k++) {
      const library = libraries[(round + k) % libraries.length]!;
      let count = library.count;
      if (library === fresh) {
        const counter = freshClawCounter();
        count = (t) => counter.count(t);
      }
      const a = pass(count, firstHalf);
      const b = pass(count, secondHalf);
      verify(library.name, 'short message', firstHalf, a.counts, firstReference);
      verify(library.name, 'short message', secondHalf, b.counts, secondReference);
      full.get(library.name)!.push(messageBytes / (a.seconds + b.seconds) / 1e6);
      half.get(library.name)!.push(secondHalfBytes / b.seconds / 1e6);
      progress('tokenizer', `round ${round + 1}: ${library.name}`);
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
    shortRow(`tokenizer: ${corpus}, Claw repeat pass (every chunk already in its cache), median of ${WARM_ROUNDS}`, median(full.get(claw.name)!), fastFull),
    shortRow(`tokenizer: ${MESSAGES / 2000}k unseen short messages, Claw with its chunk cache warmed by the other ${MESSAGES / 2000}k (steady state), median of ${WARM_ROUNDS}`, median(half.get(fresh.name)!), fastHalf),
    shortRow(`tokenizer: ${corpus}, Claw cold first pass (fresh counter, empty chunk cache), median of ${WARM_ROUNDS}`, median(full.get(fresh.name)!), fastFull),
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
    const byName = new Map<string, number[]>(libraries.map((l) => [l.name, []]));
    for (const library of [claw, ...peers]) check(library.name, library.count(document.text));
    for (let round = 0; round < DOCUMENT_ROUNDS; round++) {
      for (let k = 0; k < libraries.length; k++) {
        const library = libraries[(round + k) % libraries.length]!;
        let count = library.count;
        if (library === fresh) {
          // A fresh counter holds its own WASM encoder (~22 MB, never freed): a few cold rounds are enough.
          if (round >= COLD_ROUNDS) continue;
          const counter = freshClawCounter();
          count = (t) => counter.count(t);
        }
        const result = timedSum(count, texts);
        check(library.name, result.total);
        byName.get(library.name)!.push(bytes / result.seconds / 1e6);
      }
    }
    progress('tokenizer', `${document.kind} document done`);
    const peer = fastest(byName);
    const label = `tokenizer: ${document.kind} document (${(bytes / 1024).toFixed(0)} KB)`;
    rows.push(
      { ...shortRow(`${label}, Claw repeat pass (every chunk cached), median of ${DOCUMENT_ROUNDS}`, median(byName.get(claw.name)!), peer), target: undefined, meetsTarget: undefined },
      { ...shortRow(`${label}, Claw cold first pass (fresh counter, empty chunk cache), median of ${COLD_ROUNDS}`, median(byName.get(fresh.name)!), peer), target: undefined, meetsTarget: undefined },
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
