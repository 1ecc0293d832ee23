import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { AudioFormatError } from './errors.js';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './types.js';

const { create, ConverterType } = libsamplerate;

/** libsamplerate-js refuses rates above this; the converter itself only depends on their ratio. */
const LIBSAMPLERATE_MAX_RATE = 192_000;

/** Zeros fed at the end so libsamplerate's filter delay drains; far more than its longest filter. */
const FLUSH_ZEROS = 8192;

/**
 * Streaming band-limited resampler (libsamplerate's sinc converter, medium quality: ~97 dB stop band).
 * Its output is bit-identical however the input is cut into packets, which the streaming == batch
 * invariant relies on; `flush()` drains the filter and trims the output to round(inputSamples * ratio).
 */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  private converter: Awaited<ReturnType<typeof create>> | null;
  private samplesIn = 0;
  private samplesOut = 0;
  private flushed = false;

  private constructor(inputRate: number, outputRate: number, converter: Awaited<ReturnType<typeof create>> | null) {
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.converter = converter;
  }

  static async create(inputRate: number, outputRate: number): Promise<Resampler> {
    for (const rate of [inputRate, outputRate]) {
      if (!Number.isFinite(rate) || !Number.isInteger(rate) || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
        throw new AudioFormatError(
          'BAD_SAMPLE_RATE',
          `sample rate ${rate} is not an integer from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz`,
        );
      }
    }
    if (inputRate === outputRate) return new Resampler(inputRate, outputRate, null);
    // Rates above 192 kHz (up to MAX_SAMPLE_RATE) are divided by a common integer: same ratio, same output.
    const scale = Math.ceil(Math.max(inputRate, outputRate) / LIBSAMPLERATE_MAX_RATE);
    const converter = await create(1, inputRate / scale, outputRate / scale, { converterType: ConverterType.SRC_SINC_MEDIUM_QUALITY });
    return new Resampler(inputRate, outputRate, converter);
  }

  /** Resamples one packet; the returned array is the caller's to keep. */
  push(samples: Float32Array): Float32Array {
    if (this.flushed) throw new Error('Resampler.push() after flush()');
    this.samplesIn += samples.length;
    if (!this.converter) return samples.slice();
    if (samples.length === 0) return new Float32Array(0);
    const out = this.converter.full(samples).slice();
    this.samplesOut += out.length;
    return out;
  }

  /** Drains the filter; after this the resampler only frees itself. */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    if (!this.converter) return new Float32Array(0);
    const expected = Math.round((this.samplesIn * this.outputRate) / this.inputRate);
    const missing = Math.max(0, expected - this.samplesOut);
    const tail = missing > 0 ? this.converter.full(new Float32Array(FLUSH_ZEROS)).slice(0, missing) : new Float32Array(0);
    this.samplesOut += tail.length;
    this.destroy();
    return tail;
  }

  destroy(): void {
    this.converter?.destroy();
    this.converter = null;
  }
}

/** Resamples a whole signal through the same streaming path. */
export async function resample(samples: Float32Array, inputRate: number, outputRate: number): Promise<Float32Array> {
  const resampler = await Resampler.create(inputRate, outputRate);
  if (inputRate === outputRate) return samples;
  const body = resampler.push(samples);
  const tail = resampler.flush();
  const out = new Float32Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}
