/**
 * Word confidence from what the beam search knows about a word.
 *
 * The raw acoustic score (the geometric mean of the word's character posteriors) says little on its own: with a
 * strong language model the search often keeps a word whose letters the acoustic model barely heard, and it was
 * measured to be worse than a constant on the dev sets (negative normalised cross entropy). A logistic regression
 * over a few pieces of evidence, fitted on held-out training-side dev sets (`training/decoder/fit-confidence.ts`) and
 * shipped in models/default.json, turns them into a probability that the word is right.
 */

/** What the beam search knows about one recognised word. */
export interface WordEvidence {
  /** Mean natural-log posterior of the word's characters at their emission frames. */
  meanLogProb: number;
  /** log10 LM probability of the word after the words before it; null without an LM or for a word it does not know. */
  lmLog10: number | null;
  /** Share of the final beam's probability whose text has this word at this place (1: no rival hypothesis). */
  beamPosterior: number;
  /** Characters in the word. */
  chars: number;
  /** Mean natural-log posterior of all the characters of the utterance's hypothesis: how well the model heard it all. */
  utteranceLogProb: number;
  /** Mean over the utterance's frames that are not confidently blank of the log of their highest posterior. */
  framePeakLogProb: number;
}

/**
 * The inputs of the calibration, each a number computed from `WordEvidence`. The two utterance-level ones tell the
 * calibration how well the model hears this audio at all: fitted on clean dev speech only, they nearly doubled the
 * normalised cross entropy on noisy, reverberant and telephone-band copies of the dev sets (0.06 → 0.12), where
 * word-level evidence alone left the confidences too high. Measured on the dev sets and left out: the lowest
 * character posterior, an unknown-word flag and the word's steps per character (no gain), and the next word's LM
 * probability (it helped only where the LM had seen the sentences, and hurt on real-dev).
 */
export const CONFIDENCE_FEATURES = ['meanLogProb', 'lmLog10', 'beamPosterior', 'logChars', 'utteranceLogProb', 'framePeakLogProb'] as const;
export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];

/** A fitted logistic regression: conf = 1 / (1 + exp(-(bias + Σ weights[f] · feature f))). */
export interface ConfidenceCalibration {
  bias: number;
  /** Features left out weigh 0. */
  weights: Partial<Record<ConfidenceFeature, number>>;
}

/** LM log10 probability given to a word the LM does not know, as a feature. */
const UNKNOWN_LM_LOG10 = -8;
/** Log-probabilities are floored so one impossible character cannot dominate the sum. */
const LOG_PROB_FLOOR = -20;

export function confidenceFeatures(e: WordEvidence): Record<ConfidenceFeature, number> {
  return {
    meanLogProb: Math.max(LOG_PROB_FLOOR, e.meanLogProb),
    lmLog10: e.lmLog10 === null ? UNKNOWN_LM_LOG10 : Math.max(UNKNOWN_LM_LOG10, e.lmLog10),
    beamPosterior: e.beamPosterior,
    logChars: Math.log(Math.max(1, e.chars)),
    utteranceLogProb: Math.max(LOG_PROB_FLOOR, e.utteranceLogProb),
    framePeakLogProb: Math.max(LOG_PROB_FLOOR, e.framePeakLogProb),
  };
}

/** A word's confidence in [0, 1]: calibrated when a calibration is given, else the raw acoustic score. */
export function wordConfidence(e: WordEvidence, calibration: ConfidenceCalibration | null): number {
  if (calibration === null) return Math.min(1, Math.exp(e.meanLogProb));
  const f = confidenceFeatures(e);
  let z = calibration.bias;
  for (const name of CONFIDENCE_FEATURES) z += (calibration.weights[name] ?? 0) * f[name];
  return 1 / (1 + Math.exp(-z));
}

/** Checks a calibration read from JSON; throws a TypeError that names the bad field. */
export function checkCalibration(value: unknown, where: string): ConfidenceCalibration {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${where}: a confidence calibration must be an object`);
  const { bias, weights } = value as { bias?: unknown; weights?: unknown };
  if (typeof bias !== 'number' || !Number.isFinite(bias)) throw new TypeError(`${where}.bias must be a finite number`);
  if (typeof weights !== 'object' || weights === null) throw new TypeError(`${where}.weights must be an object`);
  const out: ConfidenceCalibration = { bias, weights: {} };
  for (const [name, w] of Object.entries(weights)) {
    if (!(CONFIDENCE_FEATURES as readonly string[]).includes(name)) {
      throw new TypeError(`${where}.weights.${name}: unknown feature (known: ${CONFIDENCE_FEATURES.join(', ')})`);
    }
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new TypeError(`${where}.weights.${name} must be a finite number`);
    out.weights[name as ConfidenceFeature] = w;
  }
  return out;
}

export interface CalibrationSample {
  evidence: WordEvidence;
  correct: boolean;
}

/**
 * Fits the logistic regression by Newton's method (iteratively reweighted least squares) with a small L2 penalty
 * on the weights (not the bias), which keeps it finite when a feature separates the data.
 */
export function fitCalibration(
  samples: readonly CalibrationSample[],
  features: readonly ConfidenceFeature[] = CONFIDENCE_FEATURES,
  l2 = 1e-3,
): ConfidenceCalibration {
  if (samples.length === 0) throw new RangeError('fitCalibration needs samples');
  const d = features.length + 1;
  const rows = samples.map((s) => {
    const f = confidenceFeatures(s.evidence);
    return [1, ...features.map((name) => f[name])];
  });
  const y = samples.map((s) => (s.correct ? 1 : 0));
  const beta = new Array<number>(d).fill(0);
  const n = samples.length;
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < n; i++) {
      const x = rows[i]!;
      let z = 0;
      for (let k = 0; k < d; k++) z += beta[k]! * x[k]!;
      const p = 1 / (1 + Math.exp(-z));
      const w = Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < d; a++) {
        grad[a]! += (y[i]! - p) * x[a]!;
        for (let b = a; b < d; b++) hess[a]![b]! += w * x[a]! * x[b]!;
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) hess[a]![b] = hess[b]![a]!;
      if (a > 0) {
        grad[a]! -= l2 * n * beta[a]!;
        hess[a]![a]! += l2 * n;
      }
    }
    const step = solve(hess, grad);
    let change = 0;
    for (let k = 0; k < d; k++) {
      beta[k]! += step[k]!;
      change = Math.max(change, Math.abs(step[k]!));
    }
    if (change < 1e-8) break;
  }
  const weights: Partial<Record<ConfidenceFeature, number>> = {};
  features.forEach((name, k) => (weights[name] = beta[k + 1]!));
  return { bias: beta[0]!, weights };
}

/** Solves A x = b for a small symmetric positive definite A (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r]![col]! / p;
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= factor * m[col]![c]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}
