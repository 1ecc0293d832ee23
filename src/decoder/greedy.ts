/** Greedy (best-path) CTC decoding: argmax per frame, collapse repeats, drop blanks. */
import { BLANK, DEFAULT_VOCABULARY, tokensToText } from './vocabulary.js';

export interface GreedyResult {
  text: string;
  /** Emitted token ids after collapsing (blanks removed). */
  tokens: number[];
  /** For each emitted token, the frame where it first won the argmax. */
  frames: number[];
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
    const off = t * v;
    let best = 0;
    let bestLp = logProbs[off]!;
    for (let k = 1; k < v; k++) {
      const lp = logProbs[off + k]!;
      if (lp > bestLp) {
        bestLp = lp;
        best = k;
      }
    }
    if (best !== blank && best !== prev) {
      tokens.push(best);
      at.push(t);
    }
    prev = best;
  }
  return { text: tokensToText(tokens, vocabulary, blank), tokens, frames: at };
}
