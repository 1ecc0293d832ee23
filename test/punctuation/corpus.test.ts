import { describe, expect, it } from 'vitest';
import { readPunctuatedSentences } from '../../src/punctuation/corpus.js';
import { MARK_CHAR } from '../../src/punctuation/marks.js';

/** Sentences as "word, word." strings. */
function read(...lines: string[]): string[] {
  return [...readPunctuatedSentences(lines)].map((s) => s.words.map((w, i) => w + (s.marks[i] ? MARK_CHAR[s.marks[i]!] : '')).join(' '));
}

describe('punctuated corpus reading', () => {
  it('takes marks from token ends and from tokens of punctuation alone, folding the others into three', () => {
    expect(read('"Upon my word, friend," said I; "is it?" Yes!')).toEqual(['upon my word, friend, said i.', 'is it?', 'yes.']);
    expect(read('In life , the lobsters are blue . It is a species : big -- and red')).toEqual(['in life, the lobsters are blue.']);
    expect(read('He came -- at last.')).toEqual(['he came, at last.']);
  });

  it('keeps numbers whole and spells them as the normaliser does; abbreviations keep their period', () => {
    expect(read('It cost $3.50, or 1,000 francs in 1984.')).toEqual(['it cost three dollars fifty cents, or one thousand francs in nineteen eighty four.']);
    expect(read('Mr. Wood met J. F. Kennedy at No. 5 Downing Street.')).toEqual(['mister wood met j f kennedy at no five downing street.']);
    expect(read('A mass of 0 @.@ 7 kg , the state @-@ of @-@ the @-@ art .')).toEqual(['a mass of zero point seven kg, the state of the art.']);
  });

  it('spells the titles out as the recogniser does', () => {
    expect(read('Mr. and Mrs. Wood met Dr Brown.')).toEqual(['mister and missus wood met doctor brown.']);
    expect([...readPunctuatedSentences(['Then Mr. Wood came.'])][0]!.forms).toEqual(['Then', 'Mister', 'Wood', 'came']);
  });

  it('drops sentences it cannot read cleanly, and the unfinished tail of a line', () => {
    expect(read('It is a <unk> lobster. It is blue.')).toEqual(['it is blue.']);
    expect(read('He said \u03b1\u03b2\u03b3 twice. Then he left.')).toEqual(['then he left.']);
    expect(read('JACK SHEPPARD A Romance', 'The end came.')).toEqual(['the end came.']);
  });

  it('continues a line into the next when that one starts in lower case, and says which sentences join', () => {
    const s = [...readPunctuatedSentences(['They printed few books,', 'and the next year he followed suit.', 'A title', 'It ended.'])];
    expect(s.map((x) => x.words.join(' '))).toEqual(['they printed few books and the next year he followed suit', 'it ended']);
    expect(s.map((x) => x.joinsPrevious)).toEqual([false, false]);
    expect([...readPunctuatedSentences(['One. Two.', 'Three.'])].map((x) => x.joinsPrevious)).toEqual([false, true, true]);
  });

  it('records written forms, and which capitals the sentence forced', () => {
    const [s] = [...readPunctuatedSentences(['The man from London said "Yes" to me: Great.'])];
    expect(s!.forms).toEqual(['The', 'man', 'from', 'London', 'said', 'Yes', 'to', 'me', 'Great']);
    expect(s!.capsForced).toEqual([true, false, false, false, false, true, false, false, true]);
    const [caps] = [...readPunctuatedSentences(['THE END OF IT ALL came.'])];
    expect(caps!.capsForced.every(Boolean)).toBe(true);
  });
});
