import { describe, expect, it } from 'vitest';
import { cardinalToWords, decimalToWords, ordinalToWords, yearToWords } from '../../src/text/numbers.js';
import { normalizeText } from '../../src/text/normalize.js';
import { writeNumerals, writeNumeralsInText } from '../../src/text/numerals.js';
import { rng } from '../helpers.js';

describe('writeNumerals', () => {
  it.each([
    ['nineteen eighty four', '1984'],
    ['in the twenty first century', 'in the 21st century'],
    ['three point one four', '3.14'],
    ['zero point five', '0.5'],
    ['fifty percent of them', '50% of them'],
    ['five per cent', '5%'],
    ['call five five five one two one two', 'call 5551212'],
    ['two oh one', '201'],
    ['two thousand and five', '2005'],
    ['a hundred people', '100 people'],
    ['a thousand years', '1000 years'],
    ['three million dollars', '3 million dollars'],
    ['two point five billion', '2.5 billion'],
    ['one hundred and twenty three thousand four hundred and fifty six', '123,456'],
    ['the nineteen nineties', 'the 1990s'],
    ['nineteen oh five', '1905'],
    ['twenty twenty five', '2025'],
    ['nineteen hundred and five', '1905'],
    ['one thousand and one nights', '1001 nights'],
    ['twelve hundred', '1200'],
    ['ten', '10'],
    ['it was one hundred and one', 'it was 101'],
    ['twenty second', '22nd'],
    ['the eleventh', 'the 11th'],
    ['one hundred and twelfth', '112th'],
    ['one hundred and then some', '100 and then some'],
  ])('"%s" → "%s"', (spoken, written) => {
    expect(writeNumeralsInText(spoken)).toBe(written);
  });

  it.each([
    ['single words zero to nine stay words', 'one of them came first and the second was seven'],
    ['"oh" is a zero only among other digits', 'oh one thing oh'],
    ['two numbers back to back are a reading it does not know (a time, a price)', 'at ten thirty for five fifty'],
    ['number words that are not numbers', 'hundreds of thousands and a hundredth part'],
    ['a number word before a number', 'nine ninety and four one five nine'],
  ])('%s', (_what, text) => {
    expect(writeNumeralsInText(text)).toBe(text.replace('four one five nine', '4159'));
  });

  it('writes what the text normaliser reads back as the same words: cardinals, years, ordinals, decimals', () => {
    const random = rng(11);
    for (let k = 0; k < 2000; k++) {
      // spread over magnitudes; 1100-2099 said as cardinals ("one thousand five hundred") are written 1500,
      // which the normaliser reads as a year, so they are left out here
      const n = Math.floor(10 ** (1 + random() * 11));
      if (n >= 1100 && n < 2100) continue;
      const words = cardinalToWords(String(n));
      const out = writeNumeralsInText(words);
      expect(out.split(' ').length, words).toBe(words.endsWith('million') || words.endsWith('billion') ? 2 : 1);
      expect(normalizeText(out), `${words} → ${out}`).toBe(words);
    }
    for (let year = 1300; year < 2100; year++) {
      const out = writeNumeralsInText(yearToWords(year));
      expect(out).toBe(String(year));
      expect(normalizeText(out)).toBe(yearToWords(year));
    }
    for (let k = 0; k < 500; k++) {
      const n = 10 + Math.floor(random() * 100000);
      const out = writeNumeralsInText(ordinalToWords(String(n)));
      expect(out).toMatch(/^[\d,]+(st|nd|rd|th)$/);
      expect(normalizeText(out)).toBe(ordinalToWords(String(n)));
    }
    for (let k = 0; k < 500; k++) {
      const whole = String(Math.floor(random() * 1000));
      const frac = String(Math.floor(random() * 1000)).padStart(1 + Math.floor(random() * 3), '0');
      const words = decimalToWords(whole, frac);
      const out = writeNumeralsInText(words);
      expect(out).toBe(`${whole}.${frac}`);
      expect(normalizeText(out)).toBe(words);
    }
  });

  it('covers every input word once, in order, whatever the words', () => {
    const vocabulary = ['one', 'two', 'nine', 'oh', 'zero', 'ten', 'nineteen', 'twenty', 'ninety', 'hundred', 'thousand', 'million', 'and', 'a',
      'point', 'percent', 'first', 'twentieth', 'hundredth', 'nineties', 'the', 'cat', 'per', 'cent'];
    const random = rng(5);
    for (let k = 0; k < 3000; k++) {
      const words = Array.from({ length: Math.floor(random() * 12) }, () => vocabulary[Math.floor(random() * vocabulary.length)]!);
      const spans = writeNumerals(words);
      let at = 0;
      for (const s of spans) {
        expect(s.from).toBe(at);
        expect(s.to).toBeGreaterThan(s.from);
        expect(s.text).not.toBe('');
        if (s.to - s.from === 1 && !/\d/.test(s.text)) expect(s.text).toBe(words[s.from]);
        at = s.to;
      }
      expect(at).toBe(words.length);
    }
  });
});
