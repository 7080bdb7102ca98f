/**
 * The terms memory search ranks by: lowercase runs of Unicode letters and digits, English stopwords removed,
 * light suffix stemming so "deploys", "deployed" and "deploying" meet. Negations ("not", "never") are kept:
 * "prefers email" and "does not prefer email" must not look alike to duplicate detection.
 */

// Common English function words: they match nearly every memory and carry no meaning of their own.
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'herself him himself his how i if in into is it its itself just me more most my myself of off on once only or ' +
    'other our ours ourselves out over own same she should so some such than that the their theirs them themselves ' +
    'then there these they this those through to too under until up very was we were what when where which while ' +
    'who whom why will with would you your yours yourself yourselves s t d ll m re ve'
  ).split(' '),
);

// Scripts written without spaces: each character is a term, so a query can match inside a run of them.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const APOSTROPHES = /['\u2019](?=\p{L})/gu;
const ASCII_WORD = /^[a-z]+$/;
const DOUBLED = /([b-df-hj-kmnp-rtv-xz])\1$/;

/**
 * Reduces an English word to a crude stem: plural and -ing/-ed endings and a final "e" are removed, so every form
 * of a word gets one stem. It is not a linguistic stemmer; it only has to be consistent between text and query.
 */
export function stemTerm(word: string): string {
  if (word.length <= 3 || !ASCII_WORD.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

function undouble(stem: string): string {
  return DOUBLED.test(stem) ? stem.slice(0, -1) : stem;
}

const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD_RUNS = /[a-z0-9]+/g;
const stems = new Map<string, string>();
// Bounds the stem cache; past it, the cache starts over (stemming is cheap, the cache only saves repeats).
const STEM_CACHE_LIMIT = 50_000;

function cachedStem(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(word, (stem = stemTerm(word)));
  }
  return stem;
}

/**
 * Splits text into search terms, in order, duplicates kept (term frequency matters to BM25).
 * Text is NFKC-normalised and lowercased; apostrophes inside words are dropped ("don't" → "dont").
 */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  // Plain ASCII needs no normalisation or script checks: the fast path for most memories.
  const ascii = ASCII.test(text);
  let normalised = ascii ? text.toLowerCase() : text.normalize('NFKC').toLowerCase();
  if (normalised.includes("'") || normalised.includes('\u2019')) normalised = normalised.replace(APOSTROPHES, '');
  for (const word of normalised.match(ascii ? ASCII_WORD_RUNS : WORD) ?? []) {
    if (!ascii && UNSPACED.test(word)) {
      pushUnspaced(word, terms);
      continue;
    }
    if (STOPWORDS.has(word)) continue;
    terms.push(cachedStem(word));
  }
  return terms;
}

// Splits a word that mixes unspaced-script characters with others: "東京2026" → 東, 京, 2026.
function pushUnspaced(word: string, terms: string[]): void {
  let run = '';
  for (const char of word) {
    if (UNSPACED.test(char)) {
      if (run && !STOPWORDS.has(run)) terms.push(cachedStem(run));
      run = '';
      terms.push(char);
    } else run += char;
  }
  if (run && !STOPWORDS.has(run)) terms.push(cachedStem(run));
}
