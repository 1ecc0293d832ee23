/**
 * How much a recogniser's word confidences are worth: scores of (confidence, correct) pairs, the standard ones
 * from the confidence-estimation literature (NIST's normalised cross entropy among them).
 */
import { hypothesisWordsCorrect } from './wer.js';

export interface ScoredWord {
  /** The recogniser's confidence, in [0, 1]. */
  conf: number;
  /** Whether the word was right (see `hypothesisWordsCorrect`). */
  correct: boolean;
}

export interface ConfidenceQuality {
  words: number;
  /** Share of the words that are correct: what a constant confidence should say. */
  correctRate: number;
  /** Mean confidence. Calibrated confidences have meanConf ≈ correctRate. */
  meanConf: number;
  /**
   * Normalised cross entropy: 1 − H(correct | conf) / H(correct), in bits. 0 for the best constant confidence,
   * 1 for perfect confidences, negative when the confidences mislead (over- or under-confident).
   */
  nce: number;
  /** Probability that a random correct word has a higher confidence than a random wrong one (ties count half). */
  auc: number;
  /** Expected calibration error: |mean conf − accuracy| over 10 equal-width bins, weighted by their word counts. */
  ece: number;
}

const EPSILON = 1e-6;

/** A result's words against their reference transcript: each word's confidence and whether it is right. */
export function scoreWords(reference: string, words: ReadonlyArray<{ word: string; conf: number }>): ScoredWord[] {
  const correct = hypothesisWordsCorrect(reference, words.map((w) => w.word));
  return words.map((w, k) => ({ conf: w.conf, correct: correct[k]! }));
}

export function confidenceQuality(words: readonly ScoredWord[]): ConfidenceQuality {
  const n = words.length;
  if (n === 0) return { words: 0, correctRate: NaN, meanConf: NaN, nce: NaN, auc: NaN, ece: NaN };
  let nCorrect = 0;
  let confSum = 0;
  let crossEntropy = 0;
  for (const w of words) {
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, w.conf));
    confSum += w.conf;
    if (w.correct) nCorrect++;
    crossEntropy -= Math.log2(w.correct ? p : 1 - p);
  }
  const rate = nCorrect / n;
  const baseline = rate === 0 || rate === 1 ? 0 : -(nCorrect * Math.log2(rate) + (n - nCorrect) * Math.log2(1 - rate));
  return {
    words: n,
    correctRate: rate,
    meanConf: confSum / n,
    nce: baseline === 0 ? NaN : (baseline - crossEntropy) / baseline,
    auc: rankAuc(words, nCorrect),
    ece: calibrationError(words, 10),
  };
}

/** Mann-Whitney U over the confidences, by sorting: ties share their average rank. */
function rankAuc(words: readonly ScoredWord[], nCorrect: number): number {
  const nWrong = words.length - nCorrect;
  if (nCorrect === 0 || nWrong === 0) return NaN;
  const sorted = [...words].sort((a, b) => a.conf - b.conf);
  let rankSumCorrect = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.conf === sorted[i]!.conf) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.correct) rankSumCorrect += averageRank;
    i = j;
  }
  return (rankSumCorrect - (nCorrect * (nCorrect + 1)) / 2) / (nCorrect * nWrong);
}

/** Σ over bins of |Σ conf − Σ correct| / words, which is the count-weighted mean of |mean conf − accuracy|. */
function calibrationError(words: readonly ScoredWord[], bins: number): number {
  const gap = new Array<number>(bins).fill(0);
  for (const w of words) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(w.conf * bins)));
    gap[b]! += w.conf - (w.correct ? 1 : 0);
  }
  return gap.reduce((sum, g) => sum + Math.abs(g), 0) / words.length;
}
