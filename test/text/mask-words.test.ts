import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_WORDS, MaskWordsError, compileWordMask, parseMaskWordList } from '../../src/text/mask-words.js';

describe('word masks', () => {
  const mask = compileWordMask(['damn', 'Heck', "o'clock"]);

  it('masks listed words letter for letter, whatever their case and the marks around them', () => {
    expect(mask.maskText('well damn it')).toBe('well **** it');
    expect(mask.maskText('Damn, what the heck?')).toBe('****, what the ****?');
    expect(mask.maskWord('"DAMN."')).toBe('"****."');
    expect(mask.maskText("it's five o'clock")).toBe("it's five *******");
  });

  it('covers the possessive and nothing else: other words that contain a listed one stay', () => {
    expect(mask.maskText("damn's damned damnation goddamn")).toBe("****'s damned damnation goddamn");
    expect(mask.maskText('')).toBe('');
    expect(compileWordMask([]).maskText('damn it')).toBe('damn it');
  });

  it('a bad entry is an error with a stable code', () => {
    for (const bad of ['two words', '', 'f*ck', 'x'.repeat(65), 42 as unknown as string]) {
      expect(() => compileWordMask([bad]), String(bad)).toThrow(MaskWordsError);
      try {
        compileWordMask([bad]);
      } catch (err) {
        expect((err as MaskWordsError).code).toBe('BAD_MASK_WORD');
      }
    }
    expect(() => compileWordMask(new Array<string>(10_001).fill('word'))).toThrow(expect.objectContaining({ code: 'TOO_MANY_MASK_WORDS' }));
  });

  it('a list file: one word a line, comments and blank lines skipped, bad lines named', () => {
    expect(parseMaskWordList('# words\nDamn\n\n  heck  \r\n')).toEqual(['damn', 'heck']);
    expect(() => parseMaskWordList('damn\ngood grief\n')).toThrow(/line 2/);
  });

  it('the default list compiles and masks what it lists', () => {
    const defaults = compileWordMask(DEFAULT_MASK_WORDS);
    expect(defaults.words.size).toBe(DEFAULT_MASK_WORDS.length);
    for (const word of DEFAULT_MASK_WORDS) expect(defaults.maskText(`you ${word}`)).toBe(`you ${'*'.repeat(word.length)}`);
    expect(defaults.maskText('the quick brown fox')).toBe('the quick brown fox');
  });
});
