/**
 * Case for display: a sentence's first word and "I" (with its contractions) take a capital; any other word
 * takes the form the corpus writes it in when that form is capitalised clearly more often than not ("London",
 * "McDonald"), from the case table the builder writes.
 */
import { MARK_CHAR, endsSentence, type Mark } from './marks.js';

export class CaseTable {
  private readonly forms: ReadonlyMap<string, string>;

  /** `forms`: written forms ("London"), each standing for its lowercase word. */
  constructor(forms: Iterable<string>) {
    this.forms = new Map([...forms].filter((f) => f !== '').map((f) => [f.toLowerCase(), f]));
  }

  /** One form per line. */
  static parse(text: string): CaseTable {
    return new CaseTable(text.split('\n'));
  }

  get size(): number {
    return this.forms.size;
  }

  /** The word as it is written mid-sentence. */
  form(word: string): string {
    if (word === 'i' || word.startsWith("i'")) return `I${word.slice(1)}`;
    return this.forms.get(word) ?? word;
  }
}

function capitalise(token: string): string {
  return /^[a-z]/.test(token) ? token[0]!.toUpperCase() + token.slice(1) : token;
}

/**
 * The shown tokens: case, then the mark. Words the recogniser did not write in lowercase letters (numerals such
 * as "1984" or "21st", a grammar's "[unk]") keep their form, but for a sentence-initial capital.
 */
export function displayTokens(tokens: readonly string[], marks: readonly (Mark | null)[], cases: CaseTable, startsSentence = true): string[] {
  let sentenceStart = startsSentence;
  return tokens.map((token, i) => {
    const cased = /^[a-z']+$/.test(token) ? cases.form(token) : token;
    const shown = sentenceStart ? capitalise(cased) : cased;
    const mark = marks[i] ?? null;
    sentenceStart = endsSentence(mark);
    return mark === null ? shown : shown + MARK_CHAR[mark];
  });
}
