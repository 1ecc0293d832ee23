/**
 * The one text normaliser shared by WER/CER scoring (references and hypotheses) and LM training,
 * so that all three see the same token inventory as the acoustic model: lowercase a–z, the
 * apostrophe inside words, and single spaces. Anything else is either spoken out (numbers,
 * currency, percent, "&") or removed.
 */
import {
  cardinalToWords,
  decimalToWords,
  digitsToWords,
  integerToWords,
  ordinalToWords,
  pluralizeLast,
  yearToWords,
} from './numbers.js';

const CURRENCIES: Readonly<Record<string, readonly [string, string, string, string]>> = {
  // symbol: [singular, plural, minor singular, minor plural]
  $: ['dollar', 'dollars', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '€': ['euro', 'euros', 'cent', 'cents'],
};

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;
const CURRENCY_RE = new RegExp(String.raw`([$£€])\s?(${NUMBER})(?:\s?(thousand|million|billion|trillion)\b)?`, 'g');
const PERCENT_RE = new RegExp(String.raw`(${NUMBER})\s?(?:%|per ?cent\b)`, 'g');
const ORDINAL_RE = /\b(\d[\d,]*)(st|nd|rd|th)\b/g;
const DECADE_RE = /\b(\d{4}|\d0)'?s\b/g;
const DECIMAL_RE = /(\d[\d,]*)?\.(\d+)/g;
const GROUPED_RE = /\d{1,3}(?:,\d{3})+/g;
const INTEGER_RE = /\d+/g;

/** Number words for a matched numeric literal (commas and decimals allowed). */
function numberToWords(literal: string): string {
  const [intPart = '', fracPart] = literal.split('.');
  if (fracPart !== undefined) return decimalToWords(intPart, fracPart);
  const digits = intPart.replace(/,/g, '');
  return intPart.includes(',') ? cardinalToWords(digits) : integerToWords(digits);
}

function currencyToWords(symbol: string, amount: string, scale: string | undefined): string {
  const names = CURRENCIES[symbol]!;
  const clean = amount.replace(/,/g, '');
  if (scale) return `${numberToWords(clean)} ${scale} ${names[1]}`;
  const [whole = '0', frac] = clean.split('.');
  const wholeWords = `${cardinalToWords(whole || '0')} ${Number(whole) === 1 ? names[0] : names[1]}`;
  if (frac === undefined || /^0*$/.test(frac)) return wholeWords;
  // Two-digit minor units are read as cents ("$3.50" → "three dollars fifty cents").
  const minor = Number(frac.padEnd(2, '0').slice(0, 2));
  const minorWords = `${cardinalToWords(String(minor))} ${minor === 1 ? names[2] : names[3]}`;
  return Number(whole) === 0 ? minorWords : `${wholeWords} ${minorWords}`;
}

/** Expands every numeric form to words; applied before punctuation is stripped because "." and "," matter here. */
function expandNumbers(text: string): string {
  return text
    .replace(CURRENCY_RE, (_m, sym: string, amount: string, scale: string | undefined) => ` ${currencyToWords(sym, amount, scale)} `)
    .replace(PERCENT_RE, (_m, num: string) => ` ${numberToWords(num)} percent `)
    .replace(ORDINAL_RE, (_m, num: string) => ` ${ordinalToWords(num.replace(/,/g, ''))} `)
    .replace(DECADE_RE, (_m, num: string) =>
      ` ${pluralizeLast(num.length === 4 ? yearToWords(Number(num)) : cardinalToWords(num))} `)
    .replace(DECIMAL_RE, (_m, intPart: string | undefined, frac: string) => ` ${decimalToWords(intPart ?? '0', frac)} `)
    .replace(GROUPED_RE, (m) => ` ${cardinalToWords(m.replace(/,/g, ''))} `)
    .replace(INTEGER_RE, (m) => ` ${integerToWords(m)} `);
}

/**
 * Normalises free text to the recogniser's alphabet: `[a-z' ]`, words separated by one space,
 * apostrophes kept only between letters ("don't", not "'quoted'").
 */
export function normalizeText(input: string): string {
  let s = input.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  s = s.replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'");
  s = s.replace(/&/g, ' and ');
  s = expandNumbers(s);
  // Remaining digits (e.g. inside mixed tokens such as "a4") are read one by one.
  s = s.replace(/\d+/g, (m) => ` ${digitsToWords(m)} `);
  s = s.replace(/[^a-z']+/g, ' ');
  s = s.replace(/(?<![a-z])'+|'+(?![a-z])/g, '');
  return s.replace(/ {2,}/g, ' ').trim();
}

/** Normalised words of a text (empty array for empty or unspeakable input). */
export function normalizeWords(input: string): string[] {
  const s = normalizeText(input);
  return s.length === 0 ? [] : s.split(' ');
}
