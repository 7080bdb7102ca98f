/**
 * How model names are matched against the encoding and price tables (`docs/metering.md`, "Model names"):
 * case is ignored, a router's provider prefix (everything up to the last `/`, as in `openai/gpt-4o`) is dropped,
 * and a table entry matches the name itself or the name followed by `-` or `:` and anything (`gpt-4o` matches
 * `gpt-4o-2024-08-06` and `gpt-4o-mini`, not `gpt-4o1`; `gpt-4` does not match `gpt-4.5` or `gpt-4o`). The longest
 * matching entry wins.
 */
export function canonicalModelName(model: string): string {
  const lower = model.trim().toLowerCase();
  return lower.includes('/') ? lower.slice(lower.lastIndexOf('/') + 1) : lower;
}

/** True when a canonical model name is `entry` or a variant of it (`entry-…`, `entry:…`). */
export function modelNameMatches(name: string, entry: string): boolean {
  const key = entry.toLowerCase();
  if (!name.startsWith(key)) return false;
  const next = name.charAt(key.length);
  return next === '' || next === '-' || next === ':';
}

/** The longest of `entries` that {@link modelNameMatches} the model, or undefined. */
export function longestModelMatch(model: string, entries: Iterable<string>): string | undefined {
  const name = canonicalModelName(model);
  let best: string | undefined;
  for (const entry of entries) {
    if (modelNameMatches(name, entry) && (best === undefined || entry.length > best.length)) best = entry;
  }
  return best;
}
