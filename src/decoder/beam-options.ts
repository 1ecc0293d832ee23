/**
 * The settings of the CTC prefix beam search (beam.ts): search width and pruning, the language model and its
 * weights, unknown words, hotwords, alternatives, confidences, and the prefix trie's memory bound; and their check
 * (checkBeamSearchOptions), which refuses a value that makes no sense instead of rounding or clamping it.
 */
import type { NgramLM } from '../lm/ngram-lm.js';
import { echo } from '../util/echo.js';
import { finiteNumber, log10Probability, nonNegativeInteger, positiveInteger, positiveNumber, refuseOption } from '../util/option-rules.js';
import type { ConfidenceCalibration } from './word-confidence.js';
import type { Hotword } from './hotwords.js';

export type { Hotword } from './hotwords.js';

/** A hotword's boost (natural log) when it names none. */
export const DEFAULT_HOTWORD_BOOST = 5;

export interface BeamSearchOptions {
  /** Output alphabet, index = token id (default: docs/model-format.md vocabulary). */
  vocabulary?: readonly string[];
  /** Blank token id (default 0). The space token is found in the vocabulary (" "). */
  blank?: number;
  /** Hypotheses kept per frame (default 16). */
  beamWidth?: number;
  /** At most this many non-blank tokens are tried per frame (default 12). */
  topK?: number;
  /** Tokens are tried in order of probability until blank + tried reach this mass (default 0.999). */
  cumulativeProb?: number;
  /** Tokens with a natural-log probability below this are never tried (default -12, about 6e-6). */
  tokenLogProbFloor?: number;
  /**
   * A frame whose blank probability is at least this only extends hypotheses with blank (and the
   * repeat of their last token): no new prefixes, no pruning work (default 0.999; > 1 disables).
   */
  blankSkipProb?: number;
  /** Hypotheses scoring more than this below the best (natural log) are dropped (default 30). */
  beamThreshold?: number;
  /**
   * Skip creating prefixes that provably cannot survive this frame's pruning (default true). Results are the same
   * either way (given an LM whose log-probabilities are ≤ 0); false is for checking exactly that, at about twice
   * the cost with a wide beam.
   */
  skipHopeless?: boolean;
  /** Word-level n-gram LM, applied when a word is completed (at a space and at finalize). */
  lm?: NgramLM | null;
  /**
   * Price a partial word, while it grows, at the best LM probability in its context of any word it can still become
   * (lm-lookahead.ts), settled to the word's own probability when it ends (default false). Final scores are unchanged;
   * what changes is which hypotheses survive pruning: unpriced partial words no longer crowd out priced ones.
   */
  lmLookahead?: boolean;
  /** LM weight (default 0.5); the LM's log10 scores are converted to natural log before weighting. */
  alpha?: number;
  /** Bonus per completed word, natural log (default 1.0; only used with an LM). */
  beta?: number;
  /** Score </s> at finalize (default true). */
  useEos?: boolean;
  /**
   * log10 LM cost of a word the LM does not know. Default: the LM's <unk> probability in context if it
   * has <unk>, otherwise -10 (KenLM's -100 would make unknown words unreachable). It is charged as soon as
   * a partial word leaves the LM's vocabulary (see lexicon.ts), not when the word ends, so hypotheses that
   * run real words together lose early; hotword matches are exempt. -Infinity restricts recognition to the
   * LM's vocabulary (grammars).
   */
  oovLog10?: number;
  /**
   * Extra log10 LM cost per character of a word outside the LM's vocabulary (default 0). With a one-off cost
   * alone, one long unknown "word" costs no more than a short one, so it can swallow several known words; a
   * per-character cost stops that (grammars with `[unk]` use it).
   */
  oovCharLog10?: number;
  /** Phrases to favour. */
  hotwords?: readonly Hotword[];
  /** Boost (natural log, whole phrase) for hotwords without their own (default 5). */
  hotwordBoost?: number;
  /**
   * Lower bound of the log10 LM probability of a word completed inside a hotword match, so a
   * hotword missing from the LM vocabulary is not killed by the unknown-word penalty (default -4).
   */
  hotwordOovLog10?: number;
  /** Alternatives returned besides the best hypothesis (default 4). */
  maxAlternatives?: number;
  /**
   * How word confidences are computed from their evidence (word-confidence.ts): a calibration fitted for this model and
   * LM, or null (default) for the raw acoustic score.
   */
  confidence?: ConfidenceCalibration | null;
  /** Trie nodes allowed before those unreachable from the beam are compacted away (default 4096; doubled while
   * more than half survive). Bounds a stream's memory: without it a long utterance grows the trie to many MB. */
  compactNodes?: number;
}

/**
 * Checks the numeric settings of `options` for a vocabulary of `vocabularySize` tokens; throws an OptionsError (code
 * INVALID_OPTION, `option` the setting's name) for the first bad one. A setting the recognizer also takes is refused
 * by the same rule, with the same message, as recognizer/options-validation.ts refuses it (but maxAlternatives, which
 * the recognizer also caps at a service limit). Undefined means the default. Values the search can take as they are stay legal: a topK above the vocabulary (capped), a blankSkipProb
 * above 1 (no skipping), -Infinity for oovLog10 (grammars: unknown words forbidden), tokenLogProbFloor (every token
 * tried) and hotwordOovLog10 (no floor).
 */
export function checkBeamSearchOptions(options: BeamSearchOptions, vocabularySize: number): void {
  const given = <K extends keyof BeamSearchOptions>(name: K, rule: (name: string, value: unknown) => unknown): void => {
    if (options[name] !== undefined) rule(name, options[name]);
  };
  given('blank', (name, value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= vocabularySize) {
      refuseOption(name, `${name} must be a token id of the vocabulary (an integer from 0 to ${vocabularySize - 1}), got ${echo(value)}`);
    }
  });
  given('beamWidth', positiveInteger);
  given('topK', positiveInteger);
  given('cumulativeProb', (name, value) => {
    if (typeof value !== 'number' || !(value > 0 && value <= 1)) refuseOption(name, `${name} must be a probability above 0 and up to 1, got ${echo(value)}`);
  });
  given('tokenLogProbFloor', (name, value) => {
    // a natural-log probability; above 0 no token could ever be tried
    if (typeof value !== 'number' || Number.isNaN(value) || value > 0) refuseOption(name, `${name} must be a natural-log probability (a number up to 0), got ${echo(value)}`);
  });
  given('blankSkipProb', (name, value) => {
    if (typeof value !== 'number' || !(value > 0)) refuseOption(name, `${name} must be a positive number (above 1 turns the skip off), got ${echo(value)}`);
  });
  given('beamThreshold', positiveNumber);
  given('alpha', finiteNumber);
  given('beta', finiteNumber);
  given('oovLog10', log10Probability);
  given('oovCharLog10', (name, value) => {
    // finite: -Infinity times an LM weight of 0 would make every score NaN (oovLog10 -Infinity forbids unknown words)
    if (typeof value !== 'number' || !Number.isFinite(value) || value > 0) refuseOption(name, `${name} must be a log10 cost per character (a finite number up to 0), got ${echo(value)}`);
  });
  given('hotwordBoost', positiveNumber);
  given('hotwordOovLog10', log10Probability);
  given('maxAlternatives', nonNegativeInteger);
  given('compactNodes', positiveInteger);
  given('hotwords', (name, value) => {
    if (!Array.isArray(value)) refuseOption(name, `${name} must be an array, got ${echo(value)}`);
    value.forEach((hw: unknown, i) => {
      const at = `${name}[${i}]`;
      if (typeof hw !== 'object' || hw === null || typeof (hw as Hotword).phrase !== 'string') {
        refuseOption(at, `${at} must be {phrase, boost?} with a string phrase, got ${echo(hw)}`);
      }
      // A boost of 0 or less would be skipped by the hotword trie without a word: refuse it instead.
      const boost = (hw as Hotword).boost;
      if (boost !== undefined) positiveNumber(`${at}.boost`, boost);
    });
  });
}
