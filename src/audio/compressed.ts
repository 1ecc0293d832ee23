import { FLACDecoder } from '@wasm-audio-decoders/flac';
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

export function decodeFlac(bytes: Uint8Array): Promise<DecodedAudio> {
  return decodeWith('FLAC', new FLACDecoder(), bytes);
}

export function decodeOggOpus(bytes: Uint8Array): Promise<DecodedAudio> {
  return decodeWith('Ogg Opus', new OggOpusDecoder(), bytes);
}
