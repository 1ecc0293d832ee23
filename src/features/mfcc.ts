import MeydaModule from 'meyda';
import { DEFAULT_FEATURE_CONFIG, checkFeatureConfig, frameCount, type FeatureConfig } from './config.js';

/** The fields of meyda's singleton we set; its typings do not survive the CommonJS interop under NodeNext. */
interface MeydaGlobal {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  numberOfMFCCCoefficients: number;
  windowingFunction: string;
  extract(feature: 'mfcc', signal: Float32Array): number[] | null;
}
const Meyda = MeydaModule as unknown as MeydaGlobal;

/** Computes one frame's MFCCs into `out` at `offset`. meyda is a module-level singleton, so set it every call. */
function analyseFrame(frame: Float32Array, config: FeatureConfig, out: Float32Array, offset: number): void {
  const meyda = Meyda;
  meyda.bufferSize = config.frameLength;
  meyda.sampleRate = config.sampleRate;
  meyda.melBands = config.melBands;
  meyda.numberOfMFCCCoefficients = config.mfccCoefficients;
  meyda.windowingFunction = config.window;
  const mfcc = meyda.extract('mfcc', frame);
  if (!mfcc) throw new Error('meyda returned no MFCCs');
  for (let i = 0; i < config.mfccCoefficients; i++) out[offset + i] = mfcc[i]!;
}

/** A block of feature frames: `frames` rows of `dim` values, row-major. */
export interface FeatureFrames {
  data: Float32Array;
  frames: number;
  dim: number;
}

/**
 * Streaming MFCC extractor. Frame i covers samples [i*hop, i*hop + frameLength); `push` returns the frames
 * completed so far and `flush` the zero-padded tail. The frames are bit-identical however the samples are
 * cut into packets, because each frame is computed from exactly the same samples in one call.
 */
export class MfccExtractor {
  readonly config: FeatureConfig;
  readonly dim: number;
  /** Samples not yet consumed by a complete frame; `pendingStart` is the index of pending[0] in the stream. */
  private pending: Float32Array;
  private pendingLength = 0;
  private samplesSeen = 0;
  private framesEmitted = 0;
  private readonly frame: Float32Array;
  private flushed = false;

  constructor(config: FeatureConfig = DEFAULT_FEATURE_CONFIG) {
    this.config = checkFeatureConfig(config);
    this.dim = this.config.mfccCoefficients;
    this.pending = new Float32Array(this.config.frameLength * 4);
    this.frame = new Float32Array(this.config.frameLength);
  }

  /** Total frames returned so far. */
  get frames(): number {
    return this.framesEmitted;
  }

  push(samples: Float32Array): FeatureFrames {
    if (this.flushed) throw new Error('MfccExtractor.push() after flush(); call reset() to start a new stream');
    this.append(samples);
    this.samplesSeen += samples.length;
    const { frameLength, hopLength } = this.config;
    const ready = this.pendingLength < frameLength ? 0 : 1 + Math.floor((this.pendingLength - frameLength) / hopLength);
    const out = new Float32Array(ready * this.dim);
    for (let f = 0; f < ready; f++) this.compute(f * hopLength, frameLength, out, f * this.dim);
    this.consume(ready * hopLength);
    this.framesEmitted += ready;
    return { data: out, frames: ready, dim: this.dim };
  }

  /** Emits the remaining frames, zero-padding the last; the extractor must be reset before reuse. */
  flush(): FeatureFrames {
    if (this.flushed) return { data: new Float32Array(0), frames: 0, dim: this.dim };
    this.flushed = true;
    const total = frameCount(this.samplesSeen, this.config);
    const remaining = Math.max(0, total - this.framesEmitted);
    const out = new Float32Array(remaining * this.dim);
    for (let f = 0; f < remaining; f++) {
      const start = f * this.config.hopLength;
      this.compute(start, Math.max(0, Math.min(this.config.frameLength, this.pendingLength - start)), out, f * this.dim);
    }
    this.framesEmitted += remaining;
    this.pendingLength = 0;
    return { data: out, frames: remaining, dim: this.dim };
  }

  reset(): void {
    this.pendingLength = 0;
    this.samplesSeen = 0;
    this.framesEmitted = 0;
    this.flushed = false;
  }

  private compute(start: number, available: number, out: Float32Array, offset: number): void {
    const scale = this.config.inputScale;
    const frame = this.frame;
    for (let i = 0; i < available; i++) frame[i] = this.pending[start + i]! * scale;
    frame.fill(0, available);
    analyseFrame(frame, this.config, out, offset);
  }

  private append(samples: Float32Array): void {
    const needed = this.pendingLength + samples.length;
    if (needed > this.pending.length) {
      let capacity = this.pending.length;
      while (capacity < needed) capacity *= 2;
      const grown = new Float32Array(capacity);
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(samples, this.pendingLength);
    this.pendingLength = needed;
  }

  private consume(count: number): void {
    if (count === 0) return;
    this.pending.copyWithin(0, count, this.pendingLength);
    this.pendingLength -= count;
  }
}

/** Batch convenience: all frames of a whole signal, through the same streaming path. */
export function computeMfcc(samples: Float32Array, config: FeatureConfig = DEFAULT_FEATURE_CONFIG): FeatureFrames {
  const extractor = new MfccExtractor(config);
  const body = extractor.push(samples);
  const tail = extractor.flush();
  const data = new Float32Array(body.data.length + tail.data.length);
  data.set(body.data);
  data.set(tail.data, body.data.length);
  return { data, frames: body.frames + tail.frames, dim: extractor.dim };
}
