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

export async function decodeFlac(bytes: Uint8Array): Promise<DecodedAudio> {
  const decoder = new FLACDecoder();
  try {
    await decoder.ready;
    return checked('FLAC', await decoder.decodeFile(bytes));
  } catch (cause) {
    if (cause instanceof AudioFormatError) throw cause;
    throw new AudioFormatError('DECODE_FAILED', `FLAC decoding failed: ${String(cause)}`, { cause });
  } finally {
    decoder.free();
  }
}

export async function decodeOggOpus(bytes: Uint8Array): Promise<DecodedAudio> {
  const decoder = new OggOpusDecoder();
  try {
    await decoder.ready;
    return checked('Ogg Opus', await decoder.decodeFile(bytes));
  } catch (cause) {
    if (cause instanceof AudioFormatError) throw cause;
    throw new AudioFormatError('DECODE_FAILED', `Ogg Opus decoding failed: ${String(cause)}`, { cause });
  } finally {
    decoder.free();
  }
}
