/** Greedy (best-path) CTC decoding: argmax per frame, collapse repeats, drop blanks. */
import { BLANK, DEFAULT_VOCABULARY, tokensToText } from './vocabulary.js';

export interface GreedyResult {
  text: string;
  /** Emitted token ids after collapsing (blanks removed). */
  tokens: number[];
  /** For each emitted token, the frame where it first won the argmax. */
  frames: number[];
}

/** Index of the largest of the `v` values starting at `offset` (the first one on ties). */
export function argmaxRow(logProbs: Float32Array, offset: number, v: number): number {
  let best = 0;
  let bestLp = logProbs[offset]!;
  for (let k = 1; k < v; k++) {
    const lp = logProbs[offset + k]!;
    if (lp > bestLp) {
      bestLp = lp;
      best = k;
    }
  }
  return best;
}

/**
 * @param logProbs row-major [frames, vocabulary] log-probabilities (natural log or any monotone score)
 * @param frames number of rows to decode
 */
export function greedyDecode(
  logProbs: Float32Array,
  frames: number,
  vocabulary: readonly string[] = DEFAULT_VOCABULARY,
  blank = BLANK,
): GreedyResult {
  const v = vocabulary.length;
  if (logProbs.length < frames * v) throw new RangeError(`logProbs holds ${logProbs.length} values, need ${frames} x ${v}`);
  const tokens: number[] = [];
  const at: number[] = [];
  let prev = -1;
  for (let t = 0; t < frames; t++) {
    const best = argmaxRow(logProbs, t * v, v);
    if (best !== blank && best !== prev) {
      tokens.push(best);
      at.push(t);
    }
    prev = best;
  }
  return { text: tokensToText(tokens, vocabulary, blank), tokens, frames: at };
}
