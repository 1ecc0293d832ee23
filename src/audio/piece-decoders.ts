/**
 * Container decoders fed a file or a pipe piece by piece, so that memory stays bounded however long the audio
 * is. Each gives, for the same bytes however they are cut, the samples the whole-file decoders in decode.ts give
 * (test/audio/file-stream.test.ts checks it per container).
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { rescaleFlacLikeWav } from './compressed.js';
import { downmix } from './downmix.js';
import { AudioFormatError } from './errors.js';
import { Resampler } from './resampler.js';
import { TARGET_SAMPLE_RATE } from './types.js';
import { decodeWavFrames, wavEncoding, type WavFormat } from './wav.js';

/** Decoded samples of one piece: one array per channel, at the source's rate. */
export interface DecodedPiece {
  sampleRate: number;
  channels: Float32Array[];
}

export interface PieceDecoder {
  /** "WAV PCM 16-bit", "Ogg Opus", ... */
  readonly encoding: string;
  /** Takes the next bytes (kept by reference only until the returned promise settles); null: no samples yet. */
  push(bytes: Uint8Array): Promise<DecodedPiece | null>;
  /** The input has ended: the samples still held back. Throws DECODE_FAILED when the whole input gave none. */
  end(): Promise<DecodedPiece | null>;
  /** Frees the decoder's memory; call once, after end() or on failure. */
  free(): void;
}

/** WAV sample frames after the header: any piece size, a frame split across pieces is kept for the next. */
export class WavPieceDecoder implements PieceDecoder {
  readonly encoding: string;
  private leftover = new Uint8Array(0);

  constructor(private readonly format: WavFormat) {
    this.encoding = wavEncoding(format);
  }

  async push(bytes: Uint8Array): Promise<DecodedPiece | null> {
    let data = bytes;
    if (this.leftover.length > 0) {
      data = new Uint8Array(this.leftover.length + bytes.length);
      data.set(this.leftover);
      data.set(bytes, this.leftover.length);
    }
    const whole = data.length - (data.length % this.format.blockAlign);
    this.leftover = data.slice(whole);
    if (whole === 0) return null;
    return { sampleRate: this.format.sampleRate, channels: decodeWavFrames(data.subarray(0, whole), this.format) };
  }

  async end(): Promise<DecodedPiece | null> {
    this.leftover = new Uint8Array(0); // a partial last frame is dropped, as the whole-file reader does
    return null;
  }

  free(): void {}
}

interface WasmResult {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  bitDepth?: number;
  errors: { message: string }[];
}

interface WasmDecoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): WasmResult | Promise<WasmResult>;
  flush?(): Promise<WasmResult>;
  free(): void;
}

/** One of the wasm-audio-decoders in streaming use; any failure becomes a typed AudioFormatError. */
class WasmPieceDecoder implements PieceDecoder {
  private samples = 0;
  private firstError: string | undefined;

  constructor(
    readonly encoding: string,
    private readonly decoder: WasmDecoder,
    /** FLAC: rescale to the WAV reader's integer scaling (see decodeFlac). */
    private readonly flac = false,
  ) {}

  push(bytes: Uint8Array): Promise<DecodedPiece | null> {
    return this.run(async () => this.decoder.decode(bytes));
  }

  async end(): Promise<DecodedPiece | null> {
    const flush = this.decoder.flush?.bind(this.decoder);
    const last = flush ? await this.run(flush) : null;
    if (this.samples === 0) {
      throw new AudioFormatError('DECODE_FAILED', `${this.encoding} decoding produced no audio: ${this.firstError ?? 'no audio frames found'}`);
    }
    return last;
  }

  free(): void {
    this.decoder.free();
  }

  private async run(step: () => Promise<WasmResult>): Promise<DecodedPiece | null> {
    let result: WasmResult;
    try {
      await this.decoder.ready;
      result = await step();
    } catch (cause) {
      throw new AudioFormatError('DECODE_FAILED', `${this.encoding} decoding failed: ${String(cause)}`, { cause });
    }
    this.firstError ??= result.errors[0]?.message;
    if (result.samplesDecoded === 0 || result.channelData.length === 0) return null;
    this.samples += result.samplesDecoded;
    const channels = result.channelData.map((c) => c.subarray(0, result.samplesDecoded));
    if (this.flac && result.bitDepth !== undefined) rescaleFlacLikeWav(channels, result.bitDepth);
    return { sampleRate: result.sampleRate, channels };
  }
}

export type CompressedContainer = 'flac' | 'ogg-opus' | 'ogg-vorbis' | 'mp3';

/** A streaming decoder for a compressed container. */
export function compressedPieceDecoder(container: CompressedContainer): PieceDecoder {
  switch (container) {
    case 'flac':
      return new WasmPieceDecoder('FLAC', new FLACDecoder(), true);
    case 'ogg-opus':
      return new WasmPieceDecoder('Ogg Opus', new OggOpusDecoder());
    case 'ogg-vorbis':
      return new WasmPieceDecoder('Ogg Vorbis', new OggVorbisDecoder());
    case 'mp3':
      // mpg123 keeps its own state between calls; there is nothing to flush.
      return new WasmPieceDecoder('MP3', new MPEGDecoder());
  }
}

/**
 * Decoded pieces to the pipeline's 16 kHz mono, downmixed and then resampled by one streaming resampler: the
 * samples prepareAudio gives for the whole audio, however it was cut. Counts the source's frames.
 */
export class TargetRateConverter {
  /** The source's rate and channels, from its first piece (0 before). */
  sampleRate = 0;
  channels = 0;
  /** Source sample frames taken so far. */
  frames = 0;
  private resampler: Resampler | null = null;

  async push(piece: DecodedPiece): Promise<Float32Array> {
    if (this.sampleRate === 0) {
      this.sampleRate = piece.sampleRate;
      this.channels = piece.channels.length;
    }
    this.frames += piece.channels[0]?.length ?? 0;
    this.resampler ??= await Resampler.create(piece.sampleRate, TARGET_SAMPLE_RATE);
    return this.resampler.push(downmix(piece.channels));
  }

  /** Source seconds taken so far. */
  get seconds(): number {
    return this.sampleRate > 0 ? this.frames / this.sampleRate : 0;
  }

  /** The resampler's last samples; the converter then only frees itself. */
  flush(): Float32Array {
    return this.resampler?.flush() ?? new Float32Array(0);
  }

  destroy(): void {
    this.resampler?.destroy();
  }
}
