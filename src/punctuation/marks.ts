/**
 * The punctuation marks the model restores, as the tokens they are in its n-gram model and the characters they
 * are on screen. Colons, dashes and semicolons are not told apart from their nearest mark (comma, comma and
 * period), and an exclamation is written as a period: spoken English rarely settles which one a writer would
 * have chosen, and every extra class thins the counts of the others.
 */

export type Mark = 'comma' | 'period' | 'question';

export const MARKS: readonly Mark[] = ['comma', 'period', 'question'];

/** The mark's token in the hidden-event LM: angle brackets keep it apart from every word the normaliser writes. */
export const MARK_TOKEN: Readonly<Record<Mark, string>> = { comma: '<comma>', period: '<period>', question: '<question>' };

export const MARK_CHAR: Readonly<Record<Mark, string>> = { comma: ',', period: '.', question: '?' };

/** Marks that end a sentence (and capitalise the next word). */
export function endsSentence(mark: Mark | null): boolean {
  return mark === 'period' || mark === 'question';
}

/** Of two marks met at one place ("," then "--"), the one that says more: question > period > comma. */
export function strongerMark(a: Mark | null, b: Mark | null): Mark | null {
  const rank = (m: Mark | null): number => (m === null ? 0 : m === 'comma' ? 1 : m === 'period' ? 2 : 3);
  return rank(b) > rank(a) ? b : a;
}
