import MeydaModule from 'meyda';
import { DEFAULT_FEATURE_CONFIG, checkFeatureConfig, frameCount, type FeatureConfig } from './config.js';

/** The fields of meyda's singleton we use; its typings do not survive the CommonJS interop under NodeNext. */
interface MeydaGlobal {
  bufferSize: number;
  sampleRate: number;
  melBands: number;
  numberOfMFCCCoefficients: number;
  windowingFunction: string;
  melFilterBank?: ArrayLike<number>[];
  extract(feature: 'mfcc' | 'amplitudeSpectrum', signal: Float32Array): number[] | Float32Array | null;
}
const Meyda = MeydaModule as unknown as MeydaGlobal;

function configureMeyda(config: FeatureConfig): void {
  Meyda.bufferSize = config.frameLength;
  Meyda.sampleRate = config.sampleRate;
  Meyda.melBands = config.melBands;
  Meyda.numberOfMFCCCoefficients = config.mfccCoefficients;
  Meyda.windowingFunction = config.window;
}

/** meyda's own MFCC for one frame: the reference the fast path below must equal bit for bit. */
export function meydaMfcc(frame: Float32Array, config: FeatureConfig): number[] {
  configureMeyda(config);
  const mfcc = Meyda.extract('mfcc', frame);
  if (!mfcc) throw new Error('meyda returned no MFCCs');
  return Array.from(mfcc);
}

/**
 * MFCCs from meyda's windowed amplitude spectrum and meyda's mel filter bank, with meyda's arithmetic
 * (float32 storage of the power spectrum, of each filter product and of the running band sums; ln(x + 1);
 * a scale-2 DCT-II accumulated in float64 in the same order). meyda's own mfcc allocates a 256-float array
 * per band per frame and runs its DCT through map/reduce; this does the same sums over each filter's
 * non-zero span (adding +0 leaves a float sum unchanged), about twice as fast overall and bit-identical
 * (test/features/mfcc.test.ts checks it against meyda on real speech).
 */
class MfccKernel {
  private readonly bins: number;
  private readonly filters: { lo: number; weights: Float64Array }[];
  private readonly cos: Float64Array;
  private readonly power: Float32Array;
  private readonly bands: Float32Array;

  constructor(private readonly config: FeatureConfig) {
    configureMeyda(config);
    Meyda.extract('mfcc', new Float32Array(config.frameLength));
    const bank = Meyda.melFilterBank;
    if (!bank) throw new Error('meyda did not expose its mel filter bank');
    this.bins = config.frameLength / 2;
    this.filters = bank.map((row) => {
      let lo = 0;
      let hi = this.bins;
      while (lo < hi && row[lo] === 0) lo++;
      while (hi > lo && row[hi - 1] === 0) hi--;
      return { lo, weights: Float64Array.from({ length: hi - lo }, (_, j) => row[lo + j]!) };
    });
    const n = this.filters.length;
    this.cos = new Float64Array(n * config.mfccCoefficients);
    const piN = Math.PI / n;
    for (let k = 0; k < config.mfccCoefficients; k++) {
      for (let i = 0; i < n; i++) this.cos[k * n + i] = Math.cos(piN * (i + 0.5) * k);
    }
    this.power = new Float32Array(this.bins);
    this.bands = new Float32Array(n);
  }

  compute(frame: Float32Array, out: Float32Array, offset: number): void {
    configureMeyda(this.config);
    const amp = Meyda.extract('amplitudeSpectrum', frame) as Float32Array | null;
    if (!amp) throw new Error('meyda returned no spectrum');
    const { power, bands, filters, cos } = this;
    for (let j = 0; j < this.bins; j++) power[j] = Math.pow(amp[j]!, 2);
    const f32 = Math.fround;
    for (let i = 0; i < filters.length; i++) {
      const { lo, weights } = filters[i]!;
      let sum = 0;
      for (let j = 0; j < weights.length; j++) sum = f32(sum + f32(weights[j]! * power[lo + j]!));
      bands[i] = Math.log(sum + 1);
    }
    const n = filters.length;
    for (let k = 0; k < this.config.mfccCoefficients; k++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += bands[i]! * cos[k * n + i]!;
      out[offset + k] = 2 * acc;
    }
  }
}

const kernels = new Map<string, MfccKernel>();

function kernelFor(config: FeatureConfig): MfccKernel {
  const key = JSON.stringify(config);
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = new MfccKernel(config);
    kernels.set(key, kernel);
  }
  return kernel;
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
  private readonly kernel: MfccKernel;

  constructor(config: FeatureConfig = DEFAULT_FEATURE_CONFIG) {
    this.config = checkFeatureConfig(config);
    this.kernel = kernelFor(this.config);
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
    this.kernel.compute(frame, out, offset);
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
