import { argmaxRow } from '../decoder/greedy.js';
import type { DecoderOutput, DecoderWord, StreamingDecoder } from './types.js';

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
