import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { AudioFormatError } from './errors.js';
import type { DecodedAudio } from './types.js';

interface DecoderResult {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

function checked(kind: string, result: DecoderResult): DecodedAudio {
  if (result.samplesDecoded === 0 || result.channelData.length === 0) {
    const why = result.errors[0]?.message ?? 'no audio frames found';
    throw new AudioFormatError('DECODE_FAILED', `${kind} decoding produced no audio: ${why}`);
  }
  return {
    sampleRate: result.sampleRate,
    channels: result.channelData.map((c) => c.subarray(0, result.samplesDecoded)),
    encoding: kind,
  };
}

interface WasmDecoder {
  ready: Promise<void>;
  decodeFile(bytes: Uint8Array): Promise<DecoderResult>;
  free(): void;
}

/** Runs one of the wasm-audio-decoders over a whole file; any failure becomes a typed AudioFormatError. */
async function decodeWith(kind: string, decoder: WasmDecoder, bytes: Uint8Array): Promise<DecodedAudio> {
  try {
    await decoder.ready;
    return checked(kind, await decoder.decodeFile(bytes));
  } catch (cause) {
    if (cause instanceof AudioFormatError) throw cause;
    throw new AudioFormatError('DECODE_FAILED', `${kind} decoding failed: ${String(cause)}`, { cause });
  } finally {
    decoder.free();
  }
}

/**
 * FLAC decodes to the very samples its source WAV holds: the decoder scales integers by 1/(2^(b-1) - 1), while
 * the WAV reader (node-wav) uses 1/2^(b-1) for negative samples and 1/(2^(b-1) - 1) for positive ones. Rescaling
 * to the WAV reader's convention makes a file's transcript independent of which lossless container holds it.
 */
export async function decodeFlac(bytes: Uint8Array): Promise<DecodedAudio> {
  const decoder = new FLACDecoder();
  let bitDepth = 0;
  const audio = await decodeWith('FLAC', {
    ready: decoder.ready,
    decodeFile: async (b) => {
      const result = await decoder.decodeFile(b);
      bitDepth = result.bitDepth;
      return result;
    },
    free: () => decoder.free(),
  }, bytes);
  rescaleFlacLikeWav(audio.channels, bitDepth);
  return audio;
}

/** Rescales decoded FLAC samples in place to the WAV reader's integer scaling (see decodeFlac). */
export function rescaleFlacLikeWav(channels: readonly Float32Array[], bitDepth: number): void {
  if (bitDepth < 2 || bitDepth > 24) return;
  const negative = 2 ** (bitDepth - 1);
  const positive = negative - 1;
  for (const channel of channels) {
    for (let i = 0; i < channel.length; i++) {
      const k = Math.round(channel[i]! * positive);
      channel[i] = k < 0 ? k / negative : k / positive;
    }
  }
}

export function decodeOggOpus(bytes: Uint8Array): Promise<DecodedAudio> {
  return decodeWith('Ogg Opus', new OggOpusDecoder(), bytes);
}

export function decodeOggVorbis(bytes: Uint8Array): Promise<DecodedAudio> {
  return decodeWith('Ogg Vorbis', new OggVorbisDecoder(), bytes);
}

/** MPEG audio (MP3, and layers I/II): mpg123 decodes the whole buffer in one synchronous call. */
export function decodeMpeg(bytes: Uint8Array): Promise<DecodedAudio> {
  const mpeg = new MPEGDecoder();
  return decodeWith('MP3', { ready: mpeg.ready, decodeFile: async (b) => mpeg.decode(b), free: () => mpeg.free() }, bytes);
}
