/** Greedy (best-path) CTC decoding: argmax per frame, collapse repeats, drop blanks; of a whole utterance, or streaming. */
import type { DecoderOutput, DecoderWord, StreamingDecoder } from './streaming-decoder.js';
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

/**
 * Streaming best-path CTC decoding: argmax per step, repeats collapsed, blanks dropped. Words are split at
 * the space token; a word's confidence is the mean posterior of the steps that emitted its characters.
 */
export class GreedyDecoder implements StreamingDecoder {
  private prev = -1;
  private step = 0;
  private text = '';
  private words: DecoderWord[] = [];
  private current = '';
  private currentStart = 0;
  private currentEnd = 0;
  private confSum = 0;
  private confCount = 0;

  constructor(private readonly vocabulary: readonly string[], private readonly blank: number) {}

  acceptFrames(logProbs: Float32Array, frames: number): void {
    const v = this.vocabulary.length;
    for (let t = 0; t < frames; t++) {
      const row = t * v;
      const best = argmaxRow(logProbs, row, v);
      if (best !== this.blank && best !== this.prev) this.emit(best, Math.exp(logProbs[row + best]!));
      else if (best === this.prev && best !== this.blank && this.vocabulary[best] !== ' ') this.currentEnd = this.step;
      this.prev = best;
      this.step++;
    }
  }

  partial(): string {
    return (this.text + (this.current ? (this.text ? ' ' : '') + this.current : '')).trim();
  }

  finalize(): DecoderOutput {
    this.closeWord();
    return { text: this.text, words: this.words, alternatives: [{ text: this.text, confidence: 0 }] };
  }

  reset(): void {
    this.prev = -1;
    this.step = 0;
    this.text = '';
    this.words = [];
    this.current = '';
    this.confSum = 0;
    this.confCount = 0;
  }

  private emit(token: number, prob: number): void {
    const symbol = this.vocabulary[token]!;
    if (symbol === ' ') {
      this.closeWord();
      return;
    }
    if (this.current === '') this.currentStart = this.step;
    this.current += symbol;
    this.currentEnd = this.step;
    this.confSum += prob;
    this.confCount++;
  }

  private closeWord(): void {
    if (this.current === '') return;
    this.words.push({ word: this.current, start: this.currentStart, end: this.currentEnd + 1, conf: this.confSum / this.confCount });
    this.text = this.text ? `${this.text} ${this.current}` : this.current;
    this.current = '';
    this.confSum = 0;
    this.confCount = 0;
  }
}
