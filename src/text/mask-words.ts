/**
 * Word masking for captions, as captioning services offer it: listed words are shown as asterisks, one per
 * letter ("what the ****"), in results, their word entries, alternatives and partials. Matching ignores case and
 * the punctuation around a word ("Damn," → "****,"), and covers the possessive ("bitch's" → "*****'s"); other
 * forms (plurals, "-ing") are words of their own, to be listed.
 */
import { HearkenError } from '../util/errors.js';

export type MaskWordsErrorCode = 'BAD_MASK_WORD' | 'TOO_MANY_MASK_WORDS';

export class MaskWordsError extends HearkenError<MaskWordsErrorCode> {
  constructor(code: MaskWordsErrorCode, message: string) {
    super(code, message);
    this.name = 'MaskWordsError';
  }
}

/** Most words one list may hold, and the longest word: a list's cost stays bounded. */
export const MAX_MASK_WORDS = 10_000;
const MAX_MASK_WORD_CHARS = 64;

/**
 * A small list of English profanity and slurs, what the captions page masks unless the user turns it off.
 * Deliberately short: strong words and their common forms, not mild ones ("damn", "hell").
 */
export const DEFAULT_MASK_WORDS: readonly string[] = Object.freeze([
  // profanity
  'fuck', 'fucks', 'fucked', 'fucker', 'fuckers', 'fucking', 'fuckin', 'motherfucker', 'motherfuckers', 'motherfucking',
  'shit', 'shits', 'shitty', 'shitting', 'bullshit', 'cunt', 'cunts', 'cock', 'cocks', 'cocksucker', 'dick', 'dicks',
  'dickhead', 'prick', 'pricks', 'pussy', 'pussies', 'asshole', 'assholes', 'arsehole', 'arseholes', 'bitch',
  'bitches', 'bastard', 'bastards', 'wanker', 'wankers', 'twat', 'twats', 'slut', 'sluts', 'whore', 'whores',
  // slurs
  'nigger', 'niggers', 'nigga', 'niggas', 'faggot', 'faggots', 'fag', 'fags', 'retard', 'retards', 'retarded',
  'spic', 'spics', 'kike', 'kikes', 'chink', 'chinks', 'gook', 'gooks', 'wetback', 'wetbacks', 'tranny', 'trannies',
  'dyke', 'dykes', 'coon', 'coons', 'raghead', 'ragheads',
]);

/** What the recogniser can write: lowercase letters and the apostrophe inside a word. */
const WORD_RE = /^[a-z]+(?:'[a-z]+)*$/;
/** A shown word: leading marks, the word itself (letters, apostrophes), trailing marks. */
const TOKEN_RE = /^([^\p{L}]*)([\p{L}']*?)('s)?([^\p{L}]*)$/iu;

export interface WordMask {
  /** The words masked, lowercase. */
  readonly words: ReadonlySet<string>;
  /** One shown word (marks and case as written) with its masked letters as asterisks. */
  maskWord(shown: string): string;
  /** Space-separated text with its masked words as asterisks; the spacing is kept. */
  maskText(text: string): string;
}

/** Checks and compiles a list of words to mask. Throws MaskWordsError for an entry that cannot be a word. */
export function compileWordMask(list: readonly string[]): WordMask {
  if (!Array.isArray(list)) throw new MaskWordsError('BAD_MASK_WORD', 'the words to mask must be an array of strings');
  if (list.length > MAX_MASK_WORDS) throw new MaskWordsError('TOO_MANY_MASK_WORDS', `at most ${MAX_MASK_WORDS} words to mask, got ${list.length}`);
  const words = new Set<string>();
  list.forEach((entry, i) => {
    const word = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
    if (word.length > MAX_MASK_WORD_CHARS || !WORD_RE.test(word)) {
      const shown = typeof entry === 'string' ? JSON.stringify(entry.slice(0, MAX_MASK_WORD_CHARS)) : typeof entry;
      throw new MaskWordsError('BAD_MASK_WORD', `word to mask ${i + 1} (${shown}) must be one word of letters (an apostrophe inside allowed), at most ${MAX_MASK_WORD_CHARS} characters`);
    }
    words.add(word);
  });
  const maskWord = (shown: string): string => {
    const m = TOKEN_RE.exec(shown);
    if (!m) return shown;
    const [, lead = '', core = '', possessive = '', trail = ''] = m;
    const lower = core.toLowerCase();
    if (words.has(lower + possessive.toLowerCase())) return lead + '*'.repeat(core.length + possessive.length) + trail;
    if (words.has(lower)) return lead + '*'.repeat(core.length) + possessive + trail;
    return shown;
  };
  return {
    words,
    maskWord,
    maskText: (text) => (words.size === 0 ? text : text.split(' ').map(maskWord).join(' ')),
  };
}

/**
 * A word list file's words: one word a line; blank lines and lines starting with `#` are skipped. Throws
 * MaskWordsError naming the line of an entry that cannot be a word.
 */
export function parseMaskWordList(text: string): string[] {
  const words: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) return;
    try {
      compileWordMask([entry]);
    } catch (err) {
      if (err instanceof MaskWordsError) throw new MaskWordsError(err.code, `line ${i + 1}: ${JSON.stringify(entry.slice(0, MAX_MASK_WORD_CHARS))} is not one word of letters`);
      throw err;
    }
    words.push(entry.toLowerCase());
  });
  if (words.length > MAX_MASK_WORDS) throw new MaskWordsError('TOO_MANY_MASK_WORDS', `at most ${MAX_MASK_WORDS} words to mask, got ${words.length}`);
  return words;
}
