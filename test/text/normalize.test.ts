import { describe, expect, it } from 'vitest';
import { normalizeText, normalizeWords } from '../../src/text/normalize.js';
import { cardinalToWords, ordinalToWords, yearToWords } from '../../src/text/numbers.js';

describe('normalizeText', () => {
  it.each([
    ['Hello,   World!', 'hello world'],
    ["Don't STOP -- it's fine.", "don't stop it's fine"],
    ["'Quoted' words' ends", 'quoted words ends'],
    ['It costs $5.', 'it costs five dollars'],
    ['$1 and $3.50', 'one dollar and three dollars fifty cents'],
    ['$2.5 million', 'two point five million dollars'],
    ['50% off, 12.5 %', 'fifty percent off twelve point five percent'],
    ['In 1984 and 2005 and 1900 and 1905.', 'in nineteen eighty four and two thousand five and nineteen hundred and nineteen oh five'],
    ['the 1990s and 80s', 'the nineteen nineties and eighties'],
    ['the 1st, 2nd, 3rd, 21st and 112th', 'the first second third twenty first and one hundred twelfth'],
    ['pi is 3.14', 'pi is three point one four'],
    ['1,234,567 people', 'one million two hundred thirty four thousand five hundred sixty seven people'],
    ['42 and 7 and 0', 'forty two and seven and zero'],
    ['Café naïve — “smart” ‘quotes’ don’t', "cafe naive smart quotes don't"],
    ['Tom & Jerry', 'tom and jerry'],
    ['route 66/a4', 'route sixty six a four'],
    ['', ''],
    ['?!', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('only leaves [a-z\' ] with single spaces', () => {
    const out = normalizeText('Ünïcödé\ttabs\nnew-lines 3:45 pm (ok) [x] {y} #1 @home ~~ 10,000');
    expect(out).toMatch(/^[a-z' ]*$/);
    expect(out).not.toMatch(/ {2}|^ | $/);
  });

  it('normalizeWords splits', () => {
    expect(normalizeWords('  Two  words ')).toEqual(['two', 'words']);
    expect(normalizeWords('...')).toEqual([]);
  });
});

describe('number words', () => {
  it('cardinals', () => {
    expect(cardinalToWords('0')).toBe('zero');
    expect(cardinalToWords('105')).toBe('one hundred five');
    expect(cardinalToWords('1000000')).toBe('one million');
    expect(cardinalToWords('2000017')).toBe('two million seventeen');
  });
  it('ordinals and years', () => {
    expect(ordinalToWords('12')).toBe('twelfth');
    expect(ordinalToWords('40')).toBe('fortieth');
    expect(yearToWords(2019)).toBe('twenty nineteen');
    expect(yearToWords(1066)).toBe('ten sixty six');
  });
});
