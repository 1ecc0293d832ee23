/**
 * Spoken English forms of numbers, used by the text normaliser so that references ("in 1984")
 * and recogniser output ("in nineteen eighty four") compare equal. The acoustic vocabulary has
 * no digits, so every number must become words before scoring or LM training.
 */

export const ONES: readonly string[] = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
export const TENS: readonly string[] = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
export const SCALES: readonly string[] = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

function below100(n: number): string {
  if (n < 20) return ONES[n]!;
  const t = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? t : `${t} ${ONES[n % 10]!}`;
}

function below1000(n: number): string {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h === 0) return below100(rest);
  return rest === 0 ? `${ONES[h]!} hundred` : `${ONES[h]!} hundred ${below100(rest)}`;
}

/** Reads a string of decimal digits digit by digit ("007" → "zero zero seven"). */
export function digitsToWords(digits: string): string {
  const out: string[] = [];
  for (const ch of digits) {
    const d = ch.charCodeAt(0) - 48;
    if (d >= 0 && d <= 9) out.push(ONES[d]!);
  }
  return out.join(' ');
}

/**
 * Cardinal number words without "and" ("one hundred five"): one fixed form keeps WER
 * comparisons deterministic. Digit strings too long for exact doubles are read digit by digit.
 */
export function cardinalToWords(digits: string): string {
  const clean = digits.replace(/^0+(?=\d)/, '');
  if (clean.length > 18) return digitsToWords(digits);
  // Chunks of three digits from the right, so no precision is lost for long values.
  const groups: number[] = [];
  for (let end = clean.length; end > 0; end -= 3) {
    groups.push(Number(clean.slice(Math.max(0, end - 3), end)));
  }
  if (groups.every((g) => g === 0)) return 'zero';
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    parts.push(i === 0 ? below1000(g) : `${below1000(g)} ${SCALES[i]!}`);
  }
  return parts.join(' ');
}

/** Years as spoken: 1984 → "nineteen eighty four", 1900 → "nineteen hundred", 1905 → "nineteen oh five", 2005 → "two thousand five". */
export function yearToWords(year: number): string {
  if (year >= 2000 && year < 2010) return cardinalToWords(String(year));
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (lo === 0) return `${below100(hi)} hundred`;
  if (lo < 10) return `${below100(hi)} oh ${ONES[lo]!}`;
  return `${below100(hi)} ${below100(lo)}`;
}

const ORDINAL_IRREGULAR: Readonly<Record<string, string>> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** The ordinal of one cardinal word: "one" → "first", "twenty" → "twentieth", "hundred" → "hundredth". */
export function ordinalWord(word: string): string {
  return ORDINAL_IRREGULAR[word] ?? (word.endsWith('y') ? `${word.slice(0, -1)}ieth` : `${word}th`);
}

/** Turns the last word of a cardinal into its ordinal form ("twenty one" → "twenty first"). */
export function ordinalToWords(digits: string): string {
  const words = cardinalToWords(digits).split(' ');
  words[words.length - 1] = ordinalWord(words[words.length - 1]!);
  return words.join(' ');
}

/** Plural of the last word, for decades: "nineteen ninety" → "nineteen nineties". */
export function pluralizeLast(words: string): string {
  const parts = words.split(' ');
  const last = parts[parts.length - 1]!;
  parts[parts.length - 1] = last.endsWith('y') ? `${last.slice(0, -1)}ies` : last.endsWith('x') ? `${last}es` : `${last}s`;
  return parts.join(' ');
}

/** True for 4-digit integers that are far more often read as years than as cardinals. */
export function looksLikeYear(digits: string): boolean {
  if (digits.length !== 4) return false;
  const n = Number(digits);
  return n >= 1100 && n <= 2099;
}

/** Plain integer (no commas): years where plausible, otherwise a cardinal. */
export function integerToWords(digits: string): string {
  if (digits.length > 1 && digits.startsWith('0')) return digitsToWords(digits);
  return looksLikeYear(digits) ? yearToWords(Number(digits)) : cardinalToWords(digits);
}

/** "3.14" → "three point one four"; the integer part may hold thousands commas. */
export function decimalToWords(intPart: string, fracPart: string): string {
  const whole = cardinalToWords(intPart.replace(/,/g, '') || '0');
  return fracPart.length > 0 ? `${whole} point ${digitsToWords(fracPart)}` : whole;
}
