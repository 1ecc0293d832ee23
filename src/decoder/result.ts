/**
 * The beam search's result: the best hypothesis' path turned into words with frame times, and each word's
 * confidence from its evidence (word-confidence.ts): its characters' posteriors, its LM probability, how much of the
 * final beam agrees on it, and how well the model heard the utterance as a whole.
 */
import { align } from '../util/align.js';
import { wordConfidence, type ConfidenceCalibration, type WordEvidence } from './word-confidence.js';
import type { PrefixPath } from './prefix-trie.js';

export interface WordTiming {
  word: string;
  /** Frame index of the word's first character (frame × frame shift = seconds). */
  start: number;
  /** Frame index after the word's last character (exclusive). */
  end: number;
  /**
   * Confidence in [0, 1]: with a calibration (options.confidence), the fitted probability that the word is right;
   * without, the geometric mean over the word's characters of each one's posterior at its emission frame (the
   * highest over the frames it was repeated on).
   */
  conf: number;
  /** What the confidence was computed from. */
  evidence: WordEvidence;
}

export interface BeamSearchResult {
  text: string;
  words: WordTiming[];
  /** Token ids of the best hypothesis (blanks removed, spaces included). */
  tokens: number[];
  /** Emission frame of each token in `tokens` (non-decreasing). */
  tokenFrames: number[];
  /** Total score of the best hypothesis (natural log: acoustic + alpha·LM + bonuses). */
  score: number;
  /** Other distinct hypotheses, best first. */
  alternatives: Array<{ text: string; score: number }>;
}

/** A distinct hypothesis of the final beam and its total score (natural log). */
export interface RankedHypothesis {
  text: string;
  score: number;
}

/** What turning a path into words needs besides the path. */
export interface AlignmentContext {
  vocabulary: readonly string[];
  space: number;
  calibration: ConfidenceCalibration | null;
  /** Mean over the utterance's frames that are not confidently blank of the log of their highest posterior. */
  framePeakLogProb: number;
  /** Each word's log10 LM probability in context (null: unknown word), or null without an LM. */
  wordLog10s(words: readonly string[]): Array<number | null> | null;
}

/** Below this share of the beam's probability a rival hypothesis is not worth aligning. */
const RIVAL_MIN_SHARE = 1e-4;

/**
 * For each word of the best hypothesis, the share of the final beam's probability (scores as ranked by finalize,
 * best first) held by hypotheses that have the same word at the same place in a minimum edit alignment.
 */
export function beamPosteriors(bestWords: readonly string[], ranked: readonly RankedHypothesis[]): number[] {
  const top = ranked[0]!.score;
  let total = 0;
  for (const r of ranked) total += Math.exp(r.score - top);
  const share = new Array<number>(bestWords.length).fill(0);
  for (const r of ranked) {
    const weight = Math.exp(r.score - top) / total;
    if (weight < RIVAL_MIN_SHARE && r !== ranked[0]) continue;
    const words = r.text.split(' ').filter((w) => w.length > 0);
    for (const step of align(bestWords, words)) if (step.op === 'match') share[step.ref]! += weight;
  }
  return share.map((x) => Math.min(1, x));
}

/**
 * Tokens, frames and word timings along the best hypothesis' path, with each word's evidence and confidence;
 * `ranked` is the final beam's hypotheses, best (the path's) first, for the beam's agreement on each word.
 */
export function alignHypothesis(
  path: PrefixPath,
  ranked: readonly RankedHypothesis[],
  context: AlignmentContext,
): Pick<BeamSearchResult, 'words' | 'tokens' | 'tokenFrames'> {
  const { tokens, frames, probs } = path;
  const { vocabulary, space } = context;
  // A shared ancestor can re-enter the beam later than its descendants were created; clamp so
  // the path's frames never decrease.
  for (let i = frames.length - 2; i >= 0; i--) if (frames[i]! > frames[i + 1]!) frames[i] = frames[i + 1]!;
  const words: WordTiming[] = [];
  // All the words' characters together, for the utterance-level evidence.
  let charLogSum = 0;
  let chars = 0;
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i] === space) {
      i++;
      continue;
    }
    let j = i;
    let word = '';
    let logSum = 0;
    while (j < tokens.length && tokens[j] !== space) {
      word += vocabulary[tokens[j]!]!;
      logSum += Math.log(Math.max(probs[j]!, 1e-30));
      j++;
    }
    const evidence: WordEvidence = { meanLogProb: logSum / (j - i), lmLog10: null, beamPosterior: 1, chars: j - i, utteranceLogProb: 0, framePeakLogProb: 0 };
    // conf is set below, once the evidence is complete
    words.push({ word, start: frames[i]!, end: frames[j - 1]! + 1, conf: 0, evidence });
    charLogSum += logSum;
    chars += j - i;
    i = j;
  }
  const texts = words.map((w) => w.word);
  const lmLog10s = context.wordLog10s(texts);
  const posteriors = beamPosteriors(texts, ranked);
  words.forEach((w, k) => {
    if (lmLog10s) w.evidence.lmLog10 = lmLog10s[k]!;
    w.evidence.beamPosterior = posteriors[k]!;
    w.evidence.utteranceLogProb = chars > 0 ? charLogSum / chars : 0;
    w.evidence.framePeakLogProb = context.framePeakLogProb;
    w.conf = wordConfidence(w.evidence, context.calibration);
  });
  // After the clamp above, a word may start on its predecessor's last frame. Words must not overlap, and each
  // keeps at least one frame.
  for (let k = 1; k < words.length; k++) {
    const prev = words[k - 1]!;
    const cur = words[k]!;
    if (prev.end > cur.start) prev.end = Math.max(prev.start + 1, cur.start);
    if (cur.start < prev.end) {
      cur.start = prev.end;
      cur.end = Math.max(cur.end, cur.start + 1);
    }
  }
  // Strip leading/trailing spaces so `tokens` spells `text`.
  let a = 0;
  let b = tokens.length;
  while (a < b && tokens[a] === space) a++;
  while (b > a && tokens[b - 1] === space) b--;
  return { words, tokens: tokens.slice(a, b), tokenFrames: frames.slice(a, b) };
}
