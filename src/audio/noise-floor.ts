/**
 * The quietest stretch of a stream so far, and quiet noise at its level.
 *
 * The acoustic model was trained on speech with silence after it, so it loses a last word that runs to the final
 * sample (as in a clip cut by another tool or a VAD segment). Audio that ends in that stream's own background
 * level gives it the silence it expects, without a jump in level that it would hear as speech.
 */

import { rng } from '../util/random.js';
import { TARGET_SAMPLE_RATE } from './types.js';

/** Blocks are measured on a grid fixed to the stream's first sample, so packet cuts cannot move them. */
export const NOISE_FLOOR_BLOCK = 320; // 20 ms at 16 kHz

export class NoiseFloor {
  private blockEnergy = 0;
  private blockFill = 0;
  private minMeanSquare = Infinity;

  /** Takes the next samples of the stream. */
  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      this.blockEnergy += x * x;
      if (++this.blockFill === NOISE_FLOOR_BLOCK) {
        this.minMeanSquare = Math.min(this.minMeanSquare, this.blockEnergy / NOISE_FLOOR_BLOCK);
        this.blockEnergy = 0;
        this.blockFill = 0;
      }
    }
  }

  /** RMS of the quietest complete block so far; 0 before the first block completes. */
  rms(): number {
    return Number.isFinite(this.minMeanSquare) ? Math.sqrt(this.minMeanSquare) : 0;
  }

  reset(): void {
    this.blockEnergy = 0;
    this.blockFill = 0;
    this.minMeanSquare = Infinity;
  }
}

/**
 * `length` samples of uniform white noise with the given RMS, always the same for the same arguments (a fixed-seed
 * generator), so a stream's result never depends on when it was decoded.
 */
export function quietNoise(length: number, rms: number): Float32Array {
  const out = new Float32Array(length);
  const amplitude = rms * Math.sqrt(3); // uniform on [-a, a] has RMS a / sqrt(3)
  const random = rng(0x9e3779b9);
  for (let i = 0; i < length; i++) out[i] = (2 * random() - 1) * amplitude;
  return out;
}

/** The end padding (RecognizerOptions.endPadding) for audio whose noise floor is `floor`: 16 kHz samples. */
export function endPaddingNoise(floor: NoiseFloor, seconds: number): Float32Array {
  return quietNoise(Math.max(0, Math.round(seconds * TARGET_SAMPLE_RATE)), floor.rms());
}

/**
 * A whole 16 kHz utterance followed by `seconds` of quiet noise at its quietest block's level: what a stream hears
 * when it finishes (RecognizerOptions.endPadding), for tools that run the model over whole files.
 */
export function withEndPadding(samples: Float32Array, seconds: number): Float32Array {
  const floor = new NoiseFloor();
  floor.push(samples);
  const pad = endPaddingNoise(floor, seconds);
  if (pad.length === 0) return samples;
  const out = new Float32Array(samples.length + pad.length);
  out.set(samples);
  out.set(pad, samples.length);
  return out;
}
