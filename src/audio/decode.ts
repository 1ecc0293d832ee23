import { readFile, stat } from 'node:fs/promises';
import { decodeFlac, decodeMpeg, decodeOggOpus, decodeOggVorbis } from './compressed.js';
import { downmix } from './downmix.js';
import { AudioFormatError } from './errors.js';
import { resample } from './resampler.js';
import { TARGET_SAMPLE_RATE, type DecodedAudio } from './types.js';
import { hasAscii } from './magic.js';
import { completeOggPages, oggCodec } from './ogg.js';
import { decodeWav } from './wav.js';

/** Files above this are refused before being read: 2 GiB is past what a WAV header can even describe. */
export const MAX_AUDIO_FILE_BYTES = 2 ** 31;

export type Container = 'wav' | 'flac' | 'ogg-opus' | 'ogg-vorbis' | 'mp3';

/**
 * Whether the bytes open with an MPEG audio frame header: 11 sync bits, then a valid version, layer, bitrate and
 * sample rate, so that random data starting with 0xFF is not taken for MP3.
 */
function isMpegFrame(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0xff || (bytes[1]! & 0xe0) !== 0xe0) return false;
  const version = (bytes[1]! >> 3) & 3;
  const layer = (bytes[1]! >> 1) & 3;
  const bitrate = bytes[2]! >> 4;
  const rate = (bytes[2]! >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/**
 * The bytes without a trailing ID3v1 tag (the last 128 bytes, starting "TAG"), which some taggers append to FLAC
 * files: the FLAC decoder silently drops the last frame (up to 4,096 samples) when bytes follow it.
 */
function withoutId3v1(bytes: Uint8Array): Uint8Array {
  const at = bytes.length - 128;
  return at > 0 && hasAscii(bytes, 'TAG', at) ? bytes.subarray(0, at) : bytes;
}

/** Sniffs the container (and for Ogg, the codec) from magic bytes, never from the file name. */
export function detectContainer(bytes: Uint8Array): Container {
  if (bytes.length === 0) throw new AudioFormatError('EMPTY', 'the file is empty');
  if (hasAscii(bytes, 'RIFF')) return 'wav';
  if (hasAscii(bytes, 'fLaC')) return 'flac';
  if (hasAscii(bytes, 'OggS')) return oggCodec(bytes) === 'opus' ? 'ogg-opus' : 'ogg-vorbis';
  // An ID3v2 tag (title, artist, cover art) comes first in most MP3 files.
  if (hasAscii(bytes, 'ID3') || isMpegFrame(bytes)) return 'mp3';
  throw new AudioFormatError('UNKNOWN_CONTAINER', 'unrecognised audio container: expected WAV (RIFF), FLAC, Ogg Opus, Ogg Vorbis or MP3');
}

/** Decodes WAV, FLAC, Ogg Opus, Ogg Vorbis or MP3 bytes to per-channel float samples at their own rate. */
export async function decodeAudio(bytes: Uint8Array): Promise<DecodedAudio> {
  switch (detectContainer(bytes)) {
    case 'wav':
      return decodeWav(bytes);
    case 'flac':
      return decodeFlac(withoutId3v1(bytes));
    case 'ogg-opus':
      return decodeOggOpus(completeOggPages(bytes));
    case 'ogg-vorbis':
      return decodeOggVorbis(completeOggPages(bytes));
    case 'mp3':
      return decodeMpeg(bytes);
  }
}

/** Mono 16 kHz samples: what the front end consumes. */
export interface PreparedAudio {
  samples: Float32Array;
  sampleRate: typeof TARGET_SAMPLE_RATE;
  source: { sampleRate: number; channels: number; encoding: string; seconds: number };
}

/** Decodes, downmixes and resamples to 16 kHz. */
export async function prepareAudio(bytes: Uint8Array): Promise<PreparedAudio> {
  const decoded = await decodeAudio(bytes);
  const mono = downmix(decoded.channels);
  const samples = await resample(mono, decoded.sampleRate, TARGET_SAMPLE_RATE);
  return {
    samples,
    sampleRate: TARGET_SAMPLE_RATE,
    source: {
      sampleRate: decoded.sampleRate,
      channels: decoded.channels.length,
      encoding: decoded.encoding,
      seconds: mono.length / decoded.sampleRate,
    },
  };
}

/**
 * Reads an audio file from disk and prepares it, all of it in memory at once (the bytes and several copies of the
 * samples: a 2 h file takes gigabytes); refuses absurd sizes before reading. AudioFileStream gives the same samples a piece at a time.
 */
export async function readAudioFile(path: string): Promise<PreparedAudio> {
  const info = await stat(path);
  if (!info.isFile()) throw new AudioFormatError('UNKNOWN_CONTAINER', `${path} is not a regular file`);
  if (info.size > MAX_AUDIO_FILE_BYTES) {
    throw new AudioFormatError('TOO_LARGE', `${path} is ${info.size} bytes; the limit is ${MAX_AUDIO_FILE_BYTES}`);
  }
  return prepareAudio(await readFile(path));
}
