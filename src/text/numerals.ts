/**
 * Spoken numbers written as numerals, for display: "nineteen eighty four" → "1984", "twenty first" → "21st",
 * "three point one four" → "3.14", "fifty percent" → "50%", "five five five one two one two" → "5551212".
 *
 * The acoustic model's alphabet has no digits, so the recogniser always hears numbers as words; this is the
 * inverse of the text normaliser's reading of numerals (numbers.ts), and it writes what that normaliser reads
 * back as the same words wherever the spoken form allows (a digit string, or a 4-digit cardinal such as "one
 * thousand five hundred" written 1500, reads back differently). Style: single words zero to nine stay words
 * ("one of them", "the first"), as most style guides spell them; everything larger, every decimal and every
 * percentage becomes figures; numbers of 10,000 and more get thousands separators; whole millions and up keep
 * their scale word ("3 million", "2.5 billion").
 */

import { ONES, SCALES, TENS, ordinalWord, pluralizeLast } from './numbers.js';

/** Words [from, to) of the input become `text`. */
export interface NumeralSpan {
  text: string;
  from: number;
  to: number;
}

// The same words the normaliser writes (numbers.ts), so that this stays its inverse.
const valued = (words: readonly string[], value: (i: number) => number): ReadonlyMap<string, number> =>
  new Map(words.map((w, i) => [w, value(i)]));
const DIGIT_WORDS = valued(ONES.slice(0, 10), (i) => i);
const TEEN_WORDS = valued(ONES.slice(10, 20), (i) => 10 + i);
const TENS_WORDS = valued(TENS.slice(2), (i) => 20 + 10 * i);
// Up to trillions: beyond them a double no longer holds every digit.
const SCALE_WORDS = valued(SCALES.slice(1, 5), (i) => 1000 ** (i + 1));
const ORDINAL_UNITS = valued(ONES.slice(1, 10).map(ordinalWord), (i) => i + 1);
const ORDINAL_TEENS = valued(ONES.slice(10, 20).map(ordinalWord), (i) => 10 + i);
const ORDINAL_TENS = valued(TENS.slice(2).map(ordinalWord), (i) => 20 + 10 * i);
const ORDINAL_SCALES = valued(['hundred', ...SCALES.slice(1, 5)].map(ordinalWord), (i) => (i === 0 ? 100 : 1000 ** i));
/** Decades of a year ("nineteen nineties"). */
const DECADE_WORDS = valued([ONES[10]!, ...TENS.slice(2)].map(pluralizeLast), (i) => 10 + 10 * i);

/** A parsed number phrase: words [from, end) mean `value`. */
interface Parsed {
  value: number;
  end: number;
  /** The phrase ends in an ordinal word ("twenty first"). */
  ordinal: boolean;
}

/** 1–99: "seven", "fifteen", "forty", "forty two", and their ordinals. Zero is not a part of larger numbers. */
function parseBelow100(words: readonly string[], i: number): Parsed | null {
  const w = words[i];
  if (w === undefined) return null;
  const teen = TEEN_WORDS.get(w) ?? ORDINAL_TEENS.get(w);
  if (teen !== undefined) return { value: teen, end: i + 1, ordinal: ORDINAL_TEENS.has(w) };
  const tens = TENS_WORDS.get(w);
  if (tens !== undefined) {
    const next = words[i + 1] ?? '';
    const unit = DIGIT_WORDS.get(next) ?? ORDINAL_UNITS.get(next);
    if (unit !== undefined && unit > 0) return { value: tens + unit, end: i + 2, ordinal: ORDINAL_UNITS.has(next) };
    return { value: tens, end: i + 1, ordinal: false };
  }
  const tensOrdinal = ORDINAL_TENS.get(w);
  if (tensOrdinal !== undefined) return { value: tensOrdinal, end: i + 1, ordinal: true };
  const unit = DIGIT_WORDS.get(w) ?? ORDINAL_UNITS.get(w);
  if (unit !== undefined && unit > 0) return { value: unit, end: i + 1, ordinal: ORDINAL_UNITS.has(w) };
  return null;
}

/** Whether a number phrase starts at word i (used to decide whether an "and" belongs to the number). */
function startsNumber(words: readonly string[], i: number): boolean {
  return parseBelow100(words, i) !== null;
}

/**
 * One group below a scale word: "seven", "a hundred", "three hundred and six", "nineteen hundred" (hundreds of
 * 1–99, as in years and "twelve hundred").
 */
function parseGroup(words: readonly string[], i: number): Parsed | null {
  let hundreds: number | null = null;
  let j = i;
  if (words[i] === 'a' && (words[i + 1] === 'hundred' || words[i + 1] === 'hundredth')) {
    hundreds = 1;
    j = i + 1;
  } else {
    const head = parseBelow100(words, i);
    if (head === null) return null;
    if (head.ordinal || (words[head.end] !== 'hundred' && words[head.end] !== 'hundredth')) return head;
    hundreds = head.value;
    j = head.end;
  }
  if (words[j] === 'hundredth') return { value: hundreds * 100, end: j + 1, ordinal: true };
  j++; // "hundred"
  const andSkip = words[j] === 'and' && startsNumber(words, j + 1) ? 1 : 0;
  const rest = parseBelow100(words, j + andSkip);
  if (rest === null) return { value: hundreds * 100, end: j, ordinal: false };
  return { value: hundreds * 100 + rest.value, end: rest.end, ordinal: rest.ordinal };
}

/** A cardinal or ordinal: groups joined by descending scale words ("two million three hundred thousand and five"). */
function parseCardinal(words: readonly string[], i: number): Parsed | null {
  let total = 0;
  let j = i;
  let lastScale = Infinity;
  for (;;) {
    let group: Parsed | null;
    if (words[j] === 'a' && (SCALE_WORDS.has(words[j + 1] ?? '') || ORDINAL_SCALES.has(words[j + 1] ?? ''))) {
      group = { value: 1, end: j + 1, ordinal: false };
    } else {
      group = parseGroup(words, j);
    }
    if (group === null) return j === i ? null : { value: total, end: j, ordinal: false };
    if (group.ordinal) return { value: total + group.value, end: group.end, ordinal: true };
    const scaleWord = words[group.end] ?? '';
    const scale = SCALE_WORDS.get(scaleWord) ?? ORDINAL_SCALES.get(scaleWord);
    if (scale === undefined || scale >= lastScale || scale === 100) {
      return { value: total + group.value, end: group.end, ordinal: false };
    }
    total += group.value * scale;
    lastScale = scale;
    j = group.end + 1;
    if (ORDINAL_SCALES.has(scaleWord)) return { value: total, end: j, ordinal: true };
    if (words[j] === 'and' && startsNumber(words, j + 1)) j++;
    else if (!startsNumber(words, j)) return { value: total, end: j, ordinal: false };
  }
}

/**
 * A year read in pairs: "nineteen eighty four", "nineteen oh five", "twenty twenty", "nineteen nineties". The
 * first pair is 13–20: "ten thirty" and "eleven fifteen" are far more often times than years.
 */
function parseYear(words: readonly string[], i: number): { text: string; end: number } | null {
  const hi = parseBelow100(words, i);
  if (hi === null || hi.ordinal || hi.value < 13 || hi.value > 20) return null;
  const j = hi.end;
  const w = words[j] ?? '';
  if (w === 'oh') {
    const d = DIGIT_WORDS.get(words[j + 1] ?? '');
    if (d === undefined || d === 0) return null;
    return { text: String(hi.value * 100 + d), end: j + 2 };
  }
  const decade = DECADE_WORDS.get(w);
  if (decade !== undefined) return { text: `${hi.value * 100 + decade}s`, end: j + 1 };
  const lo = parseBelow100(words, j);
  if (lo === null || lo.ordinal || lo.value < 10) return null;
  return { text: String(hi.value * 100 + lo.value), end: lo.end };
}

function isDigitWord(w: string | undefined): boolean {
  return w !== undefined && (DIGIT_WORDS.has(w) || w === 'oh');
}

/** Two or more digits read one by one ("four one five nine", "two oh one"), not the head of a larger number. */
function parseDigitString(words: readonly string[], i: number): { text: string; end: number } | null {
  let end = i;
  while (isDigitWord(words[end])) end++;
  if (end - i < 2) return null;
  // The last digit of "three two hundred" belongs to the hundred.
  const after = words[end] ?? '';
  if (after === 'hundred' || after === 'hundredth' || SCALE_WORDS.has(after) || ORDINAL_SCALES.has(after) || after === 'point') end--;
  const run = words.slice(i, end);
  // "oh" is a zero only among other digits: "oh one thing" stays words.
  if (run.filter((w) => w !== 'oh').length < 2) return null;
  return { text: run.map((w) => String(DIGIT_WORDS.get(w) ?? 0)).join(''), end };
}

function withSeparators(value: number): string {
  const digits = String(value);
  if (value < 10000) return digits;
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function ordinalSuffix(value: number): string {
  const lastTwo = value % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][value % 10] ?? 'th';
}

/** Whole millions and up keep their scale word: "3 million", not "3,000,000". */
function writeCardinal(value: number, words: readonly string[], end: number): string {
  const last = words[end - 1] ?? '';
  const scale = SCALE_WORDS.get(last);
  if (scale !== undefined && scale >= 1e6 && value % scale === 0) return `${withSeparators(value / scale)} ${last}`;
  return withSeparators(value);
}

/** Reads "point" and its digits after a cardinal: "three point one four". */
function parseFraction(words: readonly string[], i: number): { digits: string; end: number } | null {
  if (words[i] !== 'point') return null;
  let end = i + 1;
  while (isDigitWord(words[end])) end++;
  if (end === i + 1) return null;
  return { digits: words.slice(i + 1, end).map((w) => String(DIGIT_WORDS.get(w) ?? 0)).join(''), end };
}

/** A number phrase starting at word i, or null. */
function parseNumber(words: readonly string[], i: number): { text: string; end: number } | null {
  const candidates: { text: string; end: number }[] = [];
  const year = parseYear(words, i);
  if (year) candidates.push(year);
  const digitString = parseDigitString(words, i);
  if (digitString) candidates.push(digitString);

  const zero = words[i] === 'zero' ? { value: 0, end: i + 1, ordinal: false } : null;
  const cardinal = parseCardinal(words, i) ?? zero;
  if (cardinal) {
    let end = cardinal.end;
    let text: string;
    let figures = cardinal.value >= 10;
    if (cardinal.ordinal) {
      text = `${withSeparators(cardinal.value)}${ordinalSuffix(cardinal.value)}`;
    } else {
      const fraction = parseFraction(words, end);
      if (fraction) {
        // "two point five million"
        const scaleWord = words[fraction.end] ?? '';
        const scale = SCALE_WORDS.get(scaleWord);
        text = `${withSeparators(cardinal.value)}.${fraction.digits}`;
        end = fraction.end;
        if (scale !== undefined && scale >= 1e6) {
          text += ` ${scaleWord}`;
          end++;
        }
        figures = true;
      } else {
        text = writeCardinal(cardinal.value, words, end);
      }
      if (words[end] === 'percent') {
        text += '%';
        end++;
        figures = true;
      } else if (words[end] === 'per' && words[end + 1] === 'cent') {
        text += '%';
        end += 2;
        figures = true;
      }
    }
    if (figures || end - i > 1) candidates.push({ text, end });
  }
  if (candidates.length === 0) return null;
  // The longest reading wins; on a tie the first (year, then digit string) does.
  return candidates.reduce((best, c) => (c.end > best.end ? c : best));
}

/**
 * Finds the number phrases in a sequence of recognised words. Returns one span per output token, covering every
 * input word in order: a number phrase becomes one span, any other word a span of its own.
 */
export function writeNumerals(words: readonly string[]): NumeralSpan[] {
  const spans: NumeralSpan[] = [];
  let i = 0;
  while (i < words.length) {
    const number = parseNumber(words, i);
    const next = number ? parseNumber(words, number.end) : null;
    // Two numbers back to back ("ten thirty", a time; "five fifty", a price) are a reading this does not know:
    // the words stay as they were said.
    const afterNumberWord = i > 0 && DIGIT_WORDS.has(words[i - 1]!);
    if (number && (next || afterNumberWord)) {
      const end = next ? next.end : number.end;
      for (let j = i; j < end; j++) spans.push({ text: words[j]!, from: j, to: j + 1 });
      i = end;
    } else if (number) {
      spans.push({ text: number.text, from: i, to: number.end });
      i = number.end;
    } else {
      spans.push({ text: words[i]!, from: i, to: i + 1 });
      i++;
    }
  }
  return spans;
}

/** `writeNumerals` over a space-separated transcript. */
export function writeNumeralsInText(text: string): string {
  const words = text.split(' ').filter((w) => w !== '');
  return writeNumerals(words)
    .map((s) => s.text)
    .join(' ');
}
