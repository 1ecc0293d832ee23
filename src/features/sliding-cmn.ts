/**
 * Sliding-window cepstral mean normalisation: causal, per 10 ms frame, the same formula as training/lcblstm/cmn.py.
 *
 *   m_t = (sum of the last `window` frames up to and including t + priorFrames × g) / (min(t + 1, window) + priorFrames)
 *   y_t = x_t − m_t + g
 *
 * g is the training data's mean frame (`priorMean`). A microphone's or a speaker's constant offset is removed after
 * a few seconds, the output keeps the global range the model's own normalisation expects, and the prior moves
 * the first frames of a stream only a little, so it works from the first chunk. It reads past frames only, so
 * the output is the same however the audio was cut into packets.
 */
import type { FeatureFrames } from './mfcc.js';

/** model.json's `cmn` block (docs/model-format.md). */
export interface SlidingCmnConfig {
  /** Frames (10 ms each) in the sliding window. */
  window: number;
  /** How many frames' worth of `priorMean` are blended into the window's mean. */
  priorFrames: number;
  /** The training data's mean frame, one value per cepstral coefficient. */
  priorMean: number[];
}

/** One stream's normaliser: feed it frames in order; `reset()` starts a new stream. */
export class SlidingCmn {
  private readonly dim: number;
  private readonly prior: Float64Array;
  /** The last `window` input frames, as a ring. */
  private readonly ring: Float32Array;
  private readonly sum: Float64Array;
  private seen = 0;

  constructor(private readonly config: SlidingCmnConfig) {
    this.dim = config.priorMean.length;
    this.prior = Float64Array.from(config.priorMean);
    this.ring = new Float32Array(config.window * this.dim);
    this.sum = new Float64Array(this.dim);
  }

  /** Normalises `frames` in place and returns them. */
  apply(frames: FeatureFrames): FeatureFrames {
    if (frames.dim !== this.dim) throw new Error(`SlidingCmn: frames have ${frames.dim} coefficients, the config ${this.dim}`);
    const { window, priorFrames } = this.config;
    const d = this.dim;
    for (let f = 0; f < frames.frames; f++) {
      const slot = (this.seen % window) * d;
      const row = f * d;
      const full = this.seen >= window;
      const count = Math.min(this.seen + 1, window) + priorFrames;
      for (let k = 0; k < d; k++) {
        const x = frames.data[row + k]!;
        // the frame leaving the window is subtracted before its slot is reused
        if (full) this.sum[k]! -= this.ring[slot + k]!;
        this.sum[k]! += x;
        this.ring[slot + k] = x;
        const g = this.prior[k]!;
        frames.data[row + k] = x - (this.sum[k]! + priorFrames * g) / count + g;
      }
      this.seen++;
    }
    return frames;
  }

  reset(): void {
    this.seen = 0;
    this.sum.fill(0);
  }
}
