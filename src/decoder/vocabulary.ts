/** The acoustic model's output alphabet (docs/model-format.md): 0 = blank, 1 = space, 2..27 = a..z, 28 = "'". */
export const DEFAULT_VOCABULARY: readonly string[] = Object.freeze([
  '<blank>',
  ' ',
  ...'abcdefghijklmnopqrstuvwxyz',
  "'",
]);

export const BLANK = 0;
export const SPACE = 1;

/** Index of the single-space token in a vocabulary, or -1. */
export function spaceIndex(vocabulary: readonly string[]): number {
  return vocabulary.indexOf(' ');
}

/** Text for a token sequence with blanks removed and spaces collapsed/trimmed. */
export function tokensToText(tokens: ArrayLike<number>, vocabulary: readonly string[], blank = BLANK): string {
  let s = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t !== blank) s += vocabulary[t] ?? '';
  }
  return s.replace(/ {2,}/g, ' ').trim();
}
