import { AudioFormatError } from './errors.js';
import { PcmStreamDecoder, type PcmEncoding, type PcmStreamOptions } from './pcm-stream.js';
import { compressedPieceDecoder, TargetRateConverter, type CompressedContainer, type PieceDecoder } from './piece-decoders.js';
import { sniffStream } from './stream-sniff.js';
import { parseWavStreamHeader } from './wav.js';
import { concatFloat32 } from '../util/float32.js';

/** Bytes a WAV header may take before the samples start (a few chunks of metadata are normal). */
const MAX_WAV_HEADER_BYTES = 1 << 20;

/**
 * Audio arriving as bytes in pieces of any size (stdin, a pipe, a socket): raw PCM in a format given up front; a
 * WAV stream, recognised by its "RIFF" header, whose format the header gives (what `arecord` and
 * `ffmpeg -f wav -` write); or FLAC, Ogg Opus/Vorbis or MP3, recognised by their signatures and decoded. Out
 * come 16 kHz mono float samples, the same however the bytes were cut. Other containers (MP4, WebM, AAC, ...)
 * are refused with what to run instead: compressed bytes are never taken for samples.
 */
export class AudioByteStream {
  private decoder: PcmStreamDecoder | null = null;
  private compressed: { decoder: PieceDecoder; converter: TargetRateConverter } | null = null;
  private head = new Uint8Array(0);
  private wav = false;

  /** `raw`: the format of input without a WAV header. */
  constructor(private readonly raw: PcmStreamOptions) {}

  /** What the input turned out to be, once known: "WAV" or "raw", with its encoding, rate and channels, or the compressed format. */
  get description(): string | null {
    const c = this.compressed;
    if (c) return c.converter.sampleRate > 0 ? `${c.decoder.encoding} ${c.converter.sampleRate} Hz ${c.converter.channels} ch` : c.decoder.encoding;
    const d = this.decoder;
    return d ? `${this.wav ? 'WAV' : 'raw'} ${d.encoding} ${d.sampleRate} Hz ${d.channels} ch` : null;
  }

  /** Takes the next bytes; returns the 16 kHz samples they complete (often none while a header arrives). */
  async push(bytes: Uint8Array): Promise<Float32Array> {
    if (this.decoder) return this.decoder.push(bytes);
    if (this.compressed) return this.decodeCompressed(bytes);
    const head = new Uint8Array(this.head.length + bytes.length);
    head.set(this.head);
    head.set(bytes, this.head.length);
    this.head = head;
    const content = sniffStream(head, false);
    if (content === null) return new Float32Array(0);
    if (content === 'raw') {
      this.decoder = await PcmStreamDecoder.create(this.raw);
      return this.release(0);
    }
    if (content !== 'wav') return this.startCompressed(content);
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
   * input ended inside a WAV header, or a compressed input held no audio.
   */
  async end(): Promise<{ samples: Float32Array; danglingBytes: number }> {
    let first: Float32Array = new Float32Array(0);
    if (!this.decoder && !this.compressed) {
      if (this.head.length === 0) return { samples: first, danglingBytes: 0 };
      const content = sniffStream(this.head, true);
      if (content === 'wav') {
        throw new AudioFormatError('TRUNCATED_HEADER', `the input ended inside its WAV header (${this.head.length} bytes)`);
      }
      if (content === 'raw' || content === null) {
        this.decoder = await PcmStreamDecoder.create(this.raw);
        first = this.release(0);
      } else {
        first = await this.startCompressed(content);
      }
    }
    if (this.compressed) {
      const { decoder, converter } = this.compressed;
      try {
        const last = await decoder.end();
        const samples = concatFloat32([first, last ? await converter.push(last) : new Float32Array(0), converter.flush()]);
        return { samples, danglingBytes: 0 };
      } finally {
        converter.destroy();
        decoder.free();
      }
    }
    const decoder = this.decoder!;
    const danglingBytes = decoder.pendingBytes;
    return { samples: concatFloat32([first, decoder.flush()]), danglingBytes };
  }

  private release(from: number): Float32Array {
    const rest = this.head.subarray(from);
    this.head = new Uint8Array(0);
    return this.decoder!.push(rest);
  }

  private startCompressed(container: CompressedContainer): Promise<Float32Array> {
    this.compressed = { decoder: compressedPieceDecoder(container), converter: new TargetRateConverter() };
    const head = this.head;
    this.head = new Uint8Array(0);
    return this.decodeCompressed(head);
  }

  private async decodeCompressed(bytes: Uint8Array): Promise<Float32Array> {
    const { decoder, converter } = this.compressed!;
    const piece = await decoder.push(bytes);
    return piece ? converter.push(piece) : new Float32Array(0);
  }
}
