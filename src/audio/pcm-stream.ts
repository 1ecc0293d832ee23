import { AudioFormatError } from './errors.js';
import { Resampler } from './resampler.js';
import { TARGET_SAMPLE_RATE } from './types.js';

/** Raw sample encodings accepted from a stream (the server's binary messages). */
export type PcmEncoding = 's16le' | 'f32le';

const BYTES_PER_SAMPLE: Record<PcmEncoding, number> = { s16le: 2, f32le: 4 };

export interface PcmStreamOptions {
  encoding: PcmEncoding;
  /** Rate of the incoming samples in Hz. */
  sampleRate: number;
  /** Interleaved channels in the incoming bytes; downmixed to mono. Default 1. */
  channels?: number;
}

/**
 * Turns raw little-endian PCM byte packets into 16 kHz mono float samples.
 * Packets may split a sample (odd byte counts): the leftover bytes are kept for the next packet,
 * so no audio is lost and the output is independent of how the bytes were cut.
 */
export class PcmStreamDecoder {
  readonly encoding: PcmEncoding;
  readonly sampleRate: number;
  readonly channels: number;
  private readonly frameBytes: number;
  private leftover = new Uint8Array(0);
  private constructor(options: Required<PcmStreamOptions>, private readonly resampler: Resampler) {
    this.encoding = options.encoding;
    this.sampleRate = options.sampleRate;
    this.channels = options.channels;
    this.frameBytes = BYTES_PER_SAMPLE[options.encoding] * options.channels;
  }

  static async create(options: PcmStreamOptions): Promise<PcmStreamDecoder> {
    const channels = options.channels ?? 1;
    if (!(options.encoding in BYTES_PER_SAMPLE)) {
      throw new AudioFormatError('BAD_PCM_FORMAT', `unknown PCM encoding "${String(options.encoding)}"; use s16le or f32le`);
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > 64) {
      throw new AudioFormatError('BAD_CHANNELS', `channel count ${channels} must be an integer from 1 to 64`);
    }
    const resampler = await Resampler.create(options.sampleRate, TARGET_SAMPLE_RATE);
    return new PcmStreamDecoder({ encoding: options.encoding, sampleRate: options.sampleRate, channels }, resampler);
  }

  /** Bytes held back because they did not yet make a whole sample frame. */
  get pendingBytes(): number {
    return this.leftover.length;
  }

  push(bytes: Uint8Array): Float32Array {
    let data = bytes;
    if (this.leftover.length > 0) {
      data = new Uint8Array(this.leftover.length + bytes.length);
      data.set(this.leftover);
      data.set(bytes, this.leftover.length);
    }
    const whole = data.length - (data.length % this.frameBytes);
    this.leftover = data.slice(whole);
    return this.resampler.push(this.toMono(data.subarray(0, whole)));
  }

  /** Ends the stream; a dangling partial sample (< one frame of bytes) is dropped. */
  flush(): Float32Array {
    this.leftover = new Uint8Array(0);
    return this.resampler.flush();
  }

  private toMono(bytes: Uint8Array): Float32Array {
    const frames = bytes.length / this.frameBytes;
    const out = new Float32Array(frames);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const channels = this.channels;
    const width = BYTES_PER_SAMPLE[this.encoding];
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) {
        const at = (f * channels + c) * width;
        if (this.encoding === 's16le') {
          // Same asymmetric scaling as node-wav, so a WAV file and its raw PCM give identical samples.
          const v = view.getInt16(at, true);
          sum += v < 0 ? v / 32768 : v / 32767;
        } else {
          sum += view.getFloat32(at, true);
        }
      }
      out[f] = sum / channels;
    }
    return out;
  }
}
