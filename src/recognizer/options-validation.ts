/**
 * The one check of recognizer and stream options. The library (createRecognizer, createStream), the CLI (its
 * flags) and the server (its `recognizer` options and clients' `config` messages) all validate here, so a bad
 * hotword, beam, padding, grammar or endpoint setting is refused with the same error (OptionsError; GrammarError for
 * grammars, as compileGrammar's) and the same message
 * whichever way it came in, instead of being clamped or dropped in one path and refused in another. Messages
 * name the option as the library spells it, and show at most a few dozen characters of the bad value. The primitive
 * rules (a positive integer, a finite number, ...) are util/option-rules.ts's, shared with the decoders' own checks.
 */
import { GrammarError } from '../decoder/grammar.js';
import type { Hotword } from '../decoder/hotwords.js';
import { normalizeText } from '../text/normalize.js';
import { echo } from '../util/echo.js';
import { boolean, finiteNumber, log10Probability, positiveInteger, positiveNumber, refuseOption as fail } from '../util/option-rules.js';
import { checkEndpointConfig, type EndpointConfig } from './endpoint.js';

/** RecognizerOptions.endPadding: its default, and the most that still means "silence after the speech". */
export const DEFAULT_END_PADDING = 0.3;
export const MAX_END_PADDING = 5;
/** Most hotwords, or grammar phrases, one stream may have. */
export const MAX_PHRASES = 1000;
/** Longest hotword or grammar phrase, in characters. */
export const MAX_PHRASE_CHARS = 200;
/** Most characters a grammar's phrases may hold in all: bounds the cost of compiling one (~40 ms at this size). */
export const MAX_PHRASE_LIST_CHARS = 20_000;
/** Largest hotword boost (natural log): far past any useful bias, small enough to keep scores finite. */
export const MAX_HOTWORD_BOOST = 100;
/** Most n-best alternatives per result. */
export const MAX_ALTERNATIVES = 100;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The rule of each scalar recognizer option, by its RecognizerOptions name. The CLI parses a flag's text to a
 * number and checks it here, so `--beam 0` fails as `createRecognizer({ beamWidth: 0 })` does.
 */
export const RECOGNIZER_OPTION_RULES = {
  beamWidth: positiveInteger,
  beamThreshold: positiveNumber,
  alpha: finiteNumber,
  beta: finiteNumber,
  oovLog10: log10Probability,
  maxAlternatives: (name: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_ALTERNATIVES) {
      fail(name, `${name} must be an integer from 0 to ${MAX_ALTERNATIVES}, got ${echo(value)}`);
    }
    return value;
  },
  intraOpThreads: positiveInteger,
  endPadding: (name: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_END_PADDING) {
      fail(name, `${name} must be a number of seconds from 0 to ${MAX_END_PADDING}, got ${echo(value)}`);
    }
    return value;
  },
  lmLookahead: boolean,
} as const satisfies Record<string, (name: string, value: unknown) => unknown>;

export type CheckedRecognizerOption = keyof typeof RECOGNIZER_OPTION_RULES;

/** One scalar recognizer option checked by its rule; returns it typed. */
export function checkRecognizerOption<K extends CheckedRecognizerOption>(name: K, value: unknown): ReturnType<(typeof RECOGNIZER_OPTION_RULES)[K]> {
  return RECOGNIZER_OPTION_RULES[name](name, value) as ReturnType<(typeof RECOGNIZER_OPTION_RULES)[K]>;
}

/** The recognizer-wide options this module checks (RecognizerOptions, less what only the library can hold). */
export interface CheckableRecognizerOptions {
  model?: unknown;
  decoding?: unknown;
  endpoint?: unknown;
  [key: string]: unknown;
}

/** Checks a recognizer's options; throws an OptionsError (an EndpointConfigError for endpoint settings). */
export function checkRecognizerOptions(options: CheckableRecognizerOptions): void {
  if (!isPlainObject(options)) fail('options', `recognizer options must be an object, got ${echo(options)}`);
  if (options.model !== undefined && (typeof options.model !== 'string' || options.model === '')) fail('model', `model must be a model folder's path, got ${echo(options.model)}`);
  if (options.decoding !== undefined && options.decoding !== 'beam' && options.decoding !== 'greedy') {
    fail('decoding', `decoding must be "beam" or "greedy", got ${echo(options.decoding)}`);
  }
  for (const name of Object.keys(RECOGNIZER_OPTION_RULES) as CheckedRecognizerOption[]) {
    if (options[name] !== undefined) checkRecognizerOption(name, options[name]);
  }
  checkEndpointSetting(options.endpoint);
}

/** `endpoint`: undefined (the default), false (none), or settings over the defaults. */
export function checkEndpointSetting(value: unknown): Partial<EndpointConfig> | false | undefined {
  if (value === undefined || value === false) return value;
  checkEndpointConfig(value as Partial<EndpointConfig>);
  return value as Partial<EndpointConfig>;
}

/** How a list's problems are thrown: OptionsError for hotwords, GrammarError (as compileGrammar's) for grammars. */
type Refuse = (name: string, message: string) => never;
const refuseGrammar: Refuse = (_name, message) => {
  throw new GrammarError(message);
};

/** A hotword or grammar phrase: a non-empty string of at most MAX_PHRASE_CHARS. */
function phrase(name: string, value: unknown, refuse: Refuse = fail): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_PHRASE_CHARS) {
    refuse(name, `${name} must be a non-empty string of at most ${MAX_PHRASE_CHARS} characters, got ${echo(value)}`);
  }
  return value;
}

function phraseList(name: string, value: unknown, refuse: Refuse = fail): unknown[] {
  if (!Array.isArray(value)) refuse(name, `${name} must be an array, got ${echo(value)}`);
  if (value.length > MAX_PHRASES) refuse(name, `${name} may hold at most ${MAX_PHRASES} entries, got ${value.length}`);
  return value;
}

/**
 * One hotword: a phrase, or `{phrase, boost?}` with a positive boost up to MAX_HOTWORD_BOOST. A phrase with
 * nothing the model can say ("?!") is refused rather than silently never boosted. `name` says where it sits
 * ("hotwords[3]").
 */
export function checkHotword(name: string, value: unknown): Hotword {
  if (typeof value === 'string') return { phrase: speakable(name, phrase(name, value)) };
  if (!isPlainObject(value)) fail(name, `${name} must be a string or {phrase, boost}, got ${echo(value)}`);
  for (const key of Object.keys(value)) if (key !== 'phrase' && key !== 'boost') fail(name, `${name} has unknown key ${echo(key)} (known: phrase, boost)`);
  const hotword: Hotword = { phrase: speakable(`${name}.phrase`, phrase(`${name}.phrase`, value.phrase)) };
  if (value.boost !== undefined) {
    const boost = value.boost;
    if (typeof boost !== 'number' || !Number.isFinite(boost) || boost <= 0 || boost > MAX_HOTWORD_BOOST) {
      fail(`${name}.boost`, `${name}.boost must be a positive number up to ${MAX_HOTWORD_BOOST}, got ${echo(boost)}`);
    }
    hotword.boost = boost;
  }
  return hotword;
}

function speakable(name: string, text: string): string {
  if (normalizeText(text) === '') fail(name, `${name} has no speakable words: ${echo(text)}`);
  return text;
}

/** A stream's hotwords (StreamOptions.hotwords), each as checkHotword takes it; returns them as Hotwords. */
export function checkHotwords(value: unknown, name = 'hotwords'): Hotword[] {
  return phraseList(name, value).map((h, i) => checkHotword(`${name}[${i}]`, h));
}

/**
 * A grammar's shape (StreamOptions.grammar, the server's `phrase_list`): an array of non-empty phrases within the
 * size limits, else a GrammarError, the error of every bad grammar. What its words are is compileGrammar's to
 * judge, as it normalises them.
 */
export function checkGrammarPhrases(value: unknown, name = 'grammar'): string[] {
  const list = phraseList(name, value, refuseGrammar).map((p, i) => phrase(`${name}[${i}]`, p, refuseGrammar));
  const chars = list.reduce((n, p) => n + p.length, 0);
  if (chars > MAX_PHRASE_LIST_CHARS) refuseGrammar(name, `${name} may hold at most ${MAX_PHRASE_LIST_CHARS} characters in all, got ${chars}`);
  return list;
}

/** The stream options this module checks (StreamOptions; mask words are compileWordMask's, MaskWordsError). */
export interface CheckableStreamOptions {
  hotwords?: unknown;
  grammar?: unknown;
  endpoint?: unknown;
  numerals?: unknown;
  punctuate?: unknown;
  [key: string]: unknown;
}

/**
 * Checks a stream's options; throws an OptionsError (an EndpointConfigError for endpoint settings), or a
 * GrammarError for a grammar that is not a list of phrases.
 */
export function checkStreamOptions(options: CheckableStreamOptions): void {
  if (!isPlainObject(options)) fail('options', `stream options must be an object, got ${echo(options)}`);
  if (options.hotwords !== undefined) checkHotwords(options.hotwords);
  if (options.grammar !== undefined) checkGrammarPhrases(options.grammar);
  checkEndpointSetting(options.endpoint);
  if (options.numerals !== undefined) boolean('numerals', options.numerals);
  if (options.punctuate !== undefined) boolean('punctuate', options.punctuate);
}
