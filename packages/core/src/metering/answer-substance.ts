/** Letters and digits an answer needs before it counts as one. */
export const MIN_ANSWER_CHARACTERS = 2;

/**
 * Whether a run's final text counts as an answer in usage reports (`RunOutcome.answered`): it must hold at least
 * {@link MIN_ANSWER_CHARACTERS} letters or digits, so "", ".", "…" or a run of invisible characters does not make an
 * idle run look productive. "OK", "42" and "Done" count.
 */
export function isSubstantiveAnswer(text: string): boolean {
  const found = text.match(/[\p{L}\p{N}]/gu);
  return found !== null && found.length >= MIN_ANSWER_CHARACTERS;
}
