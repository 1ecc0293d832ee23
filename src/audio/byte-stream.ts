import { AudioFormatError } from './errors.js';
import { PcmStreamDecoder, type PcmEncoding, type PcmStreamOptions } from './pcm-stream.js';
import { parseWavStreamHeader } from './wav.js';
import { concatFloat32 } from '../util/float32.js';

/** Bytes a WAV header may take before the samples start (a few chunks of metadata are normal). */
const MAX_WAV_HEADER_BYTES = 1 << 20;

/**
 * Audio arriving as bytes in pieces of any size (stdin, a pipe, a socket): raw PCM in a format given up front, or
 * a WAV stream, recognised by its "RIFF" header, whose format the header gives (what `arecord` and
 * `ffmpeg -f wav -` write). Out come 16 kHz mono float samples, the same however the bytes were cut.
 */
export class AudioByteStream {
  private decoder: PcmStreamDecoder | null = null;
  private head = new Uint8Array(0);
  private wav = false;

  /** `raw`: the format of input without a WAV header. */
  constructor(private readonly raw: PcmStreamOptions) {}

  /** What the input turned out to be, once known: "WAV" or "raw", with its encoding, rate and channels. */
  get description(): string | null {
    const d = this.decoder;
    return d ? `${this.wav ? 'WAV' : 'raw'} ${d.encoding} ${d.sampleRate} Hz ${d.channels} ch` : null;
  }

  /** Takes the next bytes; returns the 16 kHz samples they complete (often none while a header arrives). */
  async push(bytes: Uint8Array): Promise<Float32Array> {
    if (this.decoder) return this.decoder.push(bytes);
    const head = new Uint8Array(this.head.length + bytes.length);
    head.set(this.head);
    head.set(bytes, this.head.length);
    this.head = head;
    if (head.length < 4) return new Float32Array(0);
    if (String.fromCharCode(head[0]!, head[1]!, head[2]!, head[3]!) !== 'RIFF') {
      this.decoder = await PcmStreamDecoder.create(this.raw);
      return this.release(0);
    }
    const header = parseWavStreamHeader(head);
    if (!header) {
      if (head.length > MAX_WAV_HEADER_BYTES) {
        throw new AudioFormatError('TRUNCATED_HEADER', `no WAV "data" chunk within the first ${MAX_WAV_HEADER_BYTES} bytes`);
      }
      return new Float32Array(0);
    }
    const { floatingPoint, bitDepth, sampleRate, channels } = header.format;
    const encoding: PcmEncoding | null = floatingPoint ? (bitDepth === 32 ? 'f32le' : null) : bitDepth === 16 ? 's16le' : null;
    if (!encoding) {
      throw new AudioFormatError(
        'UNSUPPORTED_BIT_DEPTH',
        `a streamed WAV must be 16-bit PCM or 32-bit float, not ${bitDepth}-bit ${floatingPoint ? 'float' : 'PCM'} (ffmpeg: -c:a pcm_s16le)`,
      );
    }
    this.wav = true;
    this.decoder = await PcmStreamDecoder.create({ encoding, sampleRate, channels });
    return this.release(header.dataOffset);
  }

  /**
   * Call when the input has ended: returns the last samples (the resampler's tail, or a raw input too short to
   * tell from a WAV header) and how many bytes of a split sample frame were left over and dropped. Throws if the
   * input ended inside a WAV header.
   */
  async end(): Promise<{ samples: Float32Array; danglingBytes: number }> {
    let first: Float32Array = new Float32Array(0);
    if (!this.decoder) {
      if (this.head.length === 0) return { samples: first, danglingBytes: 0 };
      if (this.head.length >= 4) {
        throw new AudioFormatError('TRUNCATED_HEADER', `the input ended inside its WAV header (${this.head.length} bytes)`);
      }
      this.decoder = await PcmStreamDecoder.create(this.raw);
      first = this.release(0);
    }
    const danglingBytes = this.decoder.pendingBytes;
    return { samples: concatFloat32([first, this.decoder.flush()]), danglingBytes };
  }

  private release(from: number): Float32Array {
    const rest = this.head.subarray(from);
    this.head = new Uint8Array(0);
    return this.decoder!.push(rest);
  }
}
