/**
 * Synthetic but realistic text for the tokenizer and metering benchmarks, generated from a seeded PRNG so every
 * run counts the same bytes: chat prose, compact JSON tool results, one-line code and log lines as short
 * messages, and long prose / code / pretty-printed JSON documents. Word frequencies follow a Zipf-like curve over
 * common English and technical words with a long tail of rarer made-up words, ids, numbers and a little non-ASCII
 * text, so the share of never-seen-before chunks is close to real traffic rather than a tiny repeated vocabulary.
 */
import { hex, integer, pick, seededRandom, zipf, type Random } from './random';

const COMMON = (
  'the of and to a in is it you that he was for on are with as I his they be at one have this from or had by ' +
  'not word but what some we can out other were all there when up use your how said an each she which do their ' +
  'time if will way about many then them write would like so these her long make thing see him two has look ' +
  'more day could go come did number sound no most people my over know water than call first who may down side ' +
  'been now find any new work part take get place made live where after back little only round man year came ' +
  'show every good me give our under name very through just form sentence great think say help low line differ ' +
  'turn cause much mean before move right boy old too same tell does set three want air well also play small end ' +
  'put home read hand port large spell add even land here must big high such follow act why ask men change went ' +
  'light kind off need house picture try us again animal point mother world near build self earth father head ' +
  'stand own page should country found answer school grow study still learn plant cover food sun four between ' +
  'state keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late ' +
  'run while press close night real life few north open seem together next white children begin got walk example ' +
  'ease paper group always music those both mark often letter until mile river car feet care second book carry ' +
  'took science eat room friend began idea fish mountain stop once base hear horse cut sure watch color face wood ' +
  'main enough plain girl usual young ready above ever red list though feel talk bird soon body dog family direct'
).split(' ');

const TECHNICAL = (
  'deploy staging production release rollback build pipeline commit branch merge review ticket invoice customer ' +
  'order payment refund account email inbox folder message thread channel approval budget token usage report ' +
  'server request response error timeout retry latency database query index cache queue worker job schedule ' +
  'config secret credential permission scope grant policy audit alert incident outage metric dashboard user ' +
  'session cluster replica migration schema table column record ledger agent tool skill model prompt memory ' +
  'status pending shipped delivered cancelled failed succeeded running healthy degraded meeting calendar invite ' +
  'newsletter receipt subscription trial upgrade downgrade quota limit region endpoint webhook payload header'
).split(' ');

const NAMES = ['Priya', 'Raj', 'Alice', 'Bob', 'Chen', 'Fatima', 'Olu', 'Sven', 'Zoë', 'José', 'Łukasz', 'Søren', 'Mei', 'Ana'];
const PLACES = ['Zürich', 'München', 'São Paulo', 'Kraków', 'Reykjavík', 'Montréal', 'Tokyo', 'Berlin', 'Lagos', 'Austin'];
const FOREIGN = ['café', 'naïve', 'résumé', 'über', 'déjà vu', 'straße', 'señor', 'façade', '東京', 'こんにちは', 'привет', 'مرحبا', '🚀', '✅', '👍'];
const KEYWORDS = ['const', 'let', 'return', 'await', 'async', 'function', 'if', 'else', 'for', 'of', 'new', 'throw', 'import', 'export', 'type', 'interface'];
const SYLLABLES = ['ka', 'lo', 'ren', 'ti', 'mus', 'dor', 'pe', 'sha', 'vin', 'qua', 'zel', 'bro', 'nu', 'fay', 'gri', 'tol', 'ax', 'ber', 'cy', 'dro'];

let vocabulary: string[] | undefined;

/**
 * Words ranked by frequency: common English, technical terms, then a long tail of rarer made-up words. One fixed
 * vocabulary for every text (built once): seeds vary which words are drawn, not which words exist.
 */
function rankedWords(): string[] {
  vocabulary ??= buildVocabulary(seededRandom(1));
  return vocabulary;
}

function buildVocabulary(random: Random): string[] {
  const tail = new Set<string>();
  while (tail.size < 6_000) {
    let word = '';
    for (let i = integer(random, 2, 4); i > 0; i--) word += pick(random, SYLLABLES);
    tail.add(word);
  }
  const words: string[] = [];
  // Interleave so technical terms sit among the frequent words, as in a team's real traffic.
  for (let i = 0; i < Math.max(COMMON.length, TECHNICAL.length); i++) {
    if (i < COMMON.length) words.push(COMMON[i]!);
    if (i < TECHNICAL.length && i % 2 === 0) words.push(TECHNICAL[i]!);
  }
  for (let i = 1; i < TECHNICAL.length; i += 2) words.push(TECHNICAL[i]!);
  return [...words, ...tail];
}

/** A generator of the pieces every text kind is built from. */
class TextSource {
  readonly random: Random;
  readonly word: () => string;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    this.word = zipf(rankedWords(), this.random, 2);
  }

  /** A word, sometimes capitalised, a name, a place, a number, an id or a non-ASCII word. */
  proseWord(): string {
    const r = this.random();
    if (r < 0.03) return pick(this.random, NAMES);
    if (r < 0.04) return pick(this.random, PLACES);
    if (r < 0.05) return pick(this.random, FOREIGN);
    if (r < 0.08) return String(integer(this.random, 0, r < 0.065 ? 99 : 99_999));
    if (r < 0.09) return `#${integer(this.random, 100, 9_999)}`;
    const word = this.word();
    return r < 0.12 ? word[0]!.toUpperCase() + word.slice(1) : word;
  }

  sentence(minWords: number, maxWords: number): string {
    const count = integer(this.random, minWords, maxWords);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      let word = this.proseWord();
      const r = this.random();
      if (r < 0.02) word += "'s";
      else if (r < 0.03) word = `"${word}"`;
      else if (r < 0.09 && i < count - 1) word += ',';
      words.push(word);
    }
    if (this.random() < 0.05) words.splice(1, 0, pick(this.random, ["don't", "it's", "we'll", "I'm", "they're", "can't"]));
    const text = words.join(' ');
    return text[0]!.toUpperCase() + text.slice(1) + pick(this.random, ['.', '.', '.', '.', '?', '!', ':', '...']);
  }

  identifier(): string {
    const parts = [this.word(), this.word()];
    if (this.random() < 0.4) parts.push(this.word());
    if (this.random() < 0.3) return parts.join('_');
    return parts[0] + parts.slice(1).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  }

  value(): unknown {
    const r = this.random();
    if (r < 0.25) return integer(this.random, 0, r < 0.1 ? 100 : 1_000_000);
    if (r < 0.35) return Math.round(this.random() * 100_000) / 100;
    if (r < 0.42) return this.random() < 0.5;
    if (r < 0.47) return null;
    if (r < 0.6) return `${pick(this.random, ['ord', 'usr', 'inv', 'msg', 'run', 'evt'])}_${hex(this.random, integer(this.random, 6, 12))}`;
    if (r < 0.68) return new Date(Date.UTC(2026, 0, 1) + integer(this.random, 0, 300 * 86_400) * 1000).toISOString();
    if (r < 0.74) return pick(this.random, ['open', 'closed', 'pending', 'shipped', 'failed', 'succeeded', 'running']);
    if (r < 0.8) return `${pick(this.random, NAMES).toLowerCase()}@example.com`;
    return this.sentence(2, 9);
  }

  record(fields: number): Record<string, unknown> {
    const record: Record<string, unknown> = { id: `${this.word()}_${hex(this.random, 8)}` };
    for (let i = 0; i < fields; i++) record[this.random() < 0.3 ? this.identifier() : this.word()] = this.value();
    return record;
  }

  codeLine(): string {
    const r = this.random();
    const a = this.identifier();
    const b = this.identifier();
    if (r < 0.2) return `const ${a} = await ${b}.${this.identifier()}({ ${this.word()}: ${integer(this.random, 1, 500)} });`;
    if (r < 0.35) return `if (${a}.${this.word()} !== ${b}) return ${a}.filter((x) => x.${this.word()} > ${integer(this.random, 0, 99)});`;
    if (r < 0.5) return `export function ${a}(${b}: ${pick(this.random, ['string', 'number', 'boolean', 'unknown'])}): ${this.word()}[] {`;
    if (r < 0.6) return `for (const ${this.word()} of ${a}) ${b}.push(${JSON.stringify(this.word())});`;
    if (r < 0.7) return `// ${this.sentence(4, 12)}`;
    if (r < 0.8) return `throw new ${a[0]!.toUpperCase()}${a.slice(1)}Error(\`${this.sentence(3, 8)} \${${b}}\`);`;
    if (r < 0.9) return `${pick(this.random, KEYWORDS)} ${a} = ${b}?.[${integer(this.random, 0, 9)}] ?? ${JSON.stringify(this.value())};`;
    return `${a}.${this.identifier()}(${b}, { ${this.word()}: true, ${this.word()}: ${integer(this.random, 0, 60_000)} });`;
  }

  logLine(): string {
    const level = pick(this.random, ['INFO', 'WARN', 'ERROR', 'DEBUG']);
    const at = new Date(Date.UTC(2026, 2, 1) + integer(this.random, 0, 86_400_000)).toISOString();
    return `${at} ${level} [${this.word()}-${this.word()}] ${this.sentence(3, 10)} (${this.identifier()}=${integer(this.random, 0, 9_999)}ms)`;
  }
}

/**
 * `count` distinct short messages of 20-200 characters: 45% chat prose, 25% compact JSON, 20% one-line code,
 * 10% log lines (whole pieces up to a drawn length; a piece longer than that is cut). The same seed always gives
 * the same list.
 */
export function shortMessages(count: number, seed = 3): string[] {
  const source = new TextSource(seed);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const target = integer(source.random, 20, 200);
    const r = source.random();
    const separator = r < 0.45 ? ' ' : '\n';
    let text = '';
    for (let attempt = 0; attempt < 4; attempt++) {
      let piece: string;
      if (r < 0.45) piece = source.sentence(3, 18);
      else if (r < 0.7) piece = JSON.stringify(source.record(integer(source.random, 1, 4)));
      else if (r < 0.9) piece = source.codeLine();
      else piece = source.logLine();
      const joined = text === '' ? piece : text + separator + piece;
      if (joined.length <= target) text = joined;
      else if (text === '') text = cut(piece, target);
      else break;
    }
    if (text.length < 20 || text.length > 200 || seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}

/** The first `length` UTF-16 units of `text`, never splitting a surrogate pair. */
function cut(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length).trimEnd();
}

/** Paragraphs of prose, ~`bytes` long (UTF-8). */
export function proseDocument(bytes: number, seed = 11): string {
  const source = new TextSource(seed);
  const paragraphs: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentences: string[] = [];
    for (let i = integer(source.random, 2, 7); i > 0; i--) sentences.push(source.sentence(6, 28));
    const paragraph = sentences.join(' ');
    paragraphs.push(paragraph);
    size += Buffer.byteLength(paragraph) + 2;
  }
  return paragraphs.join('\n\n');
}

/** TypeScript-like source, ~`bytes` long: functions with indented bodies, comments and literals. */
export function codeDocument(bytes: number, seed = 12): string {
  const source = new TextSource(seed);
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const block = [`/** ${source.sentence(5, 16)} */`, `export async function ${source.identifier()}(${source.identifier()}: ${source.identifier()}) {`];
    for (let i = integer(source.random, 3, 14); i > 0; i--) block.push(`${'  '.repeat(integer(source.random, 1, 3))}${source.codeLine()}`);
    block.push('}', '');
    for (const line of block) size += Buffer.byteLength(line) + 1;
    lines.push(...block);
  }
  return lines.join('\n');
}

/**
 * JSON of an array of API-like records, ~`bytes` long: pretty-printed with 2-space indents by default (a
 * document), compact with `indent` 0 (what a tool result usually is).
 */
export function jsonDocument(bytes: number, seed = 13, indent = 2): string {
  const source = new TextSource(seed);
  const records: unknown[] = [];
  let size = 0;
  while (size < bytes) {
    const record = source.record(integer(source.random, 3, 9));
    if (source.random() < 0.3) record[source.word()] = source.record(integer(source.random, 1, 3));
    if (source.random() < 0.2) record[source.word()] = [source.value(), source.value(), source.value()];
    records.push(record);
    size += Buffer.byteLength(JSON.stringify(record, null, indent)) + 4;
  }
  return JSON.stringify(records, null, indent);
}
