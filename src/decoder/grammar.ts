/**
 * Grammars: recognition restricted to a list of phrases, as Vosk's `phrase_list` / grammar recognizers do.
 *
 * Like Vosk, a grammar is not a strict list of whole utterances but a small word bigram estimated from the
 * phrases: words follow each other as in the phrases, other orders are possible at a back-off cost, and no
 * word outside the phrases can be recognised (the beam search drops any prefix that leaves the grammar's
 * vocabulary). With Vosk's `[unk]` among the phrases, speech outside the grammar may come out as `[unk]`
 * instead of being forced onto the nearest grammar words.
 *
 * Command-and-control use (digits, yes/no, menu items) needs far less from the acoustic model than open
 * dictation, because only the grammar's words compete.
 */
import { buildArpa } from '../lm/build.js';
import { parseArpa } from '../lm/arpa.js';
import type { NgramLM } from '../lm/ngram-lm.js';
import type { BeamSearchOptions } from './beam.js';
import { normalizeText } from '../text/normalize.js';
import { HearkenError } from '../util/errors.js';

/** Vosk's garbage word: in a grammar it admits out-of-grammar speech, which is reported as this token. */
export const UNKNOWN_WORD = '[unk]';
/** Phrases in one grammar (Vosk has no limit; this bounds the work one client can ask for). */
export const MAX_GRAMMAR_PHRASES = 10_000;
/** Characters in one phrase. */
export const MAX_GRAMMAR_PHRASE_CHARS = 1000;

/**
 * Beam search settings for a grammar: every token is tried on every frame. The pruning that keeps dictation fast
 * drops tokens a confident model thinks unlikely, and then a near miss ("all" heard for the grammar's "call")
 * leaves no allowed hypothesis at all, so the result is empty. A grammar's words are few, so this stays cheap.
 */
export const GRAMMAR_SEARCH: Readonly<Pick<BeamSearchOptions, 'topK' | 'cumulativeProb' | 'tokenLogProbFloor' | 'blankSkipProb' | 'beamThreshold'>> =
  Object.freeze({ topK: Number.MAX_SAFE_INTEGER, cumulativeProb: 1, tokenLogProbFloor: -Infinity, blankSkipProb: 2, beamThreshold: 30 });

export class GrammarError extends HearkenError<'BAD_GRAMMAR'> {
  constructor(message: string) {
    super('BAD_GRAMMAR', message);
    this.name = 'GrammarError';
  }
}

/** A grammar's phrases after validation and text normalisation. */
export interface GrammarSpec {
  /** Normalised phrases (lowercase words over the model's alphabet), deduplicated, in first-seen order. */
  readonly phrases: readonly string[];
  /** Whether `[unk]` was listed: speech outside the grammar may be recognised as `[unk]`. */
  readonly allowUnknown: boolean;
}

export interface Grammar extends GrammarSpec {
  /** Word bigram over the phrases; its vocabulary is exactly the grammar's words. */
  readonly lm: NgramLM;
  /** The grammar's words. */
  readonly words: ReadonlySet<string>;
}

/**
 * Validates and normalises a phrase list (the same normaliser as WER scoring and hotwords: "Turn ON
 * light 2!" → "turn on light two"). Throws GrammarError naming the first bad entry.
 */
export function normalizeGrammar(phrases: unknown): GrammarSpec {
  if (!Array.isArray(phrases)) throw new GrammarError('a grammar must be an array of phrases');
  if (phrases.length > MAX_GRAMMAR_PHRASES) {
    throw new GrammarError(`a grammar may hold at most ${MAX_GRAMMAR_PHRASES} phrases, got ${phrases.length}`);
  }
  const seen = new Set<string>();
  let allowUnknown = false;
  phrases.forEach((p: unknown, i) => {
    if (typeof p !== 'string') throw new GrammarError(`grammar phrase ${i} must be a string, got ${JSON.stringify(p)}`);
    if (p.length > MAX_GRAMMAR_PHRASE_CHARS) {
      throw new GrammarError(`grammar phrase ${i} is longer than ${MAX_GRAMMAR_PHRASE_CHARS} characters`);
    }
    if (p.trim().toLowerCase() === UNKNOWN_WORD) {
      allowUnknown = true;
      return;
    }
    const text = normalizeText(p);
    if (text === '') throw new GrammarError(`grammar phrase ${i} (${JSON.stringify(p)}) has no speakable words`);
    seen.add(text);
  });
  if (seen.size === 0) throw new GrammarError('a grammar needs at least one phrase besides [unk]');
  return { phrases: [...seen], allowUnknown };
}

const CACHE_SIZE = 32;
const cache = new Map<string, Grammar>();

/**
 * Compiles a phrase list into the decoder's form. The last few grammars are cached, so many streams with
 * the same phrase list (a server's clients) share one model and one lexicon trie.
 */
export function compileGrammar(phrases: unknown): Grammar {
  const spec = normalizeGrammar(phrases);
  const key = JSON.stringify([spec.allowUnknown, spec.phrases]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // refresh its place in the LRU order
    cache.set(key, hit);
    return hit;
  }
  const lm = parseArpa(buildArpa(spec.phrases, { order: 2, prepare: (line) => line.split(' ') }));
  const words = new Set(spec.phrases.flatMap((p) => p.split(' ')));
  const grammar: Grammar = { ...spec, lm, words };
  cache.set(key, grammar);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return grammar;
}

/**
 * How a grammar shows the decoder's text. With `[unk]` listed, words outside the grammar (and outside
 * `alsoAllowed`, e.g. hotwords, which are always allowed) are reported as `[unk]`. A partial's last word may
 * still be in progress ("fi" on the way to "five"): it shows once it is a grammar word, so partials, like
 * results, hold nothing but grammar words (and `[unk]`).
 */
export class GrammarView {
  constructor(private readonly grammar: Grammar, private readonly alsoAllowed: ReadonlySet<string>) {}

  /** A finished text (result, alternative or single word). */
  result(text: string): string {
    if (!this.grammar.allowUnknown || text === '') return text;
    return text
      .split(' ')
      .map((w) => (this.allowed(w) ? w : UNKNOWN_WORD))
      .join(' ');
  }

  /** A partial text, whose last word may be unfinished. */
  partial(text: string): string {
    const words = text.split(' ').filter(Boolean);
    const last = words.pop();
    const done = this.result(words.join(' '));
    if (last === undefined || !this.allowed(last)) return done;
    return done ? `${done} ${last}` : last;
  }

  private allowed(word: string): boolean {
    return this.grammar.words.has(word) || this.alsoAllowed.has(word);
  }
}
