/**
 * Corpus line preparation for LM training: undo WikiText tokenisation artefacts and drop lines
 * the source already damaged, then apply the shared normaliser so the LM's words are exactly the
 * words the decoder can spell.
 */
import { normalizeWords } from '../text/normalize.js';

/** WikiText writes "1 @,@ 000", "3 @.@ 5" and "state @-@ of"; rejoin them before number expansion. */
function detokenizeWikitext(line: string): string {
  return line.replace(/ @([-,.])@ /g, '$1');
}

/**
 * Normalised words of one corpus line, or null when the line must be skipped: a literal `<unk>`
 * marks a word the source replaced, and training on the hole would teach false n-grams.
 */
export function prepareCorpusLine(line: string): string[] | null {
  if (line.includes('<unk>')) return null;
  const words = normalizeWords(detokenizeWikitext(line));
  return words.length > 0 ? words : null;
}
