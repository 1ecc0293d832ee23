/**
 * What a byte stream on stdin holds, from its first bytes: a WAV, a compressed container Hearken decodes, a
 * container it does not (refused with what to do), or raw PCM. Raw PCM has no signature, so everything else is
 * recognised by one first: compressed bytes must never be transcribed as if they were samples.
 */
import { AudioFormatError } from './errors.js';
import { hasAscii } from './magic.js';
import { oggCodec } from './ogg.js';
import type { CompressedContainer } from './piece-decoders.js';

export type StreamContent = 'wav' | CompressedContainer | 'raw';

/** What to run instead, in every refusal. */
const CONVERT = 'convert it first, e.g. ffmpeg -i INPUT -f wav - | hearken stream';

/** Containers recognised only to be refused: [signature offset, signature, name]. */
const UNSUPPORTED: [number, string, string][] = [
  [4, 'ftyp', 'MP4/M4A (AAC)'],
  [0, '\x1aE\xdf\xa3', 'Matroska/WebM'],
  [0, 'FORM', 'AIFF'],
  [0, 'caff', 'Core Audio (CAF)'],
  [0, '#!AMR', 'AMR'],
];

const BITRATES_KBPS: Record<string, number[]> = {
  'v1-l1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  'v1-l2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  'v1-l3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  'v2-l1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  'v2-l2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MPEG1_RATES = [44100, 48000, 32000];

/** Length in bytes of the MPEG audio frame whose header starts at `at`, or null when no valid header is there. */
export function mpegFrameLength(bytes: Uint8Array, at = 0): number | null {
  if (bytes.length < at + 4 || bytes[at] !== 0xff || (bytes[at + 1]! & 0xe0) !== 0xe0) return null;
  const version = (bytes[at + 1]! >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const layer = 4 - ((bytes[at + 1]! >> 1) & 3); // 1, 2 or 3 (4: reserved)
  const bitrateIndex = bytes[at + 2]! >> 4;
  const rateIndex = (bytes[at + 2]! >> 2) & 3;
  const padding = (bytes[at + 2]! >> 1) & 1;
  // free-format bitrates (index 0) give no length to check a second header by
  if (version === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const table = version === 3 ? `v1-l${layer}` : `v2-l${Math.min(layer, 2)}`;
  const bitrate = BITRATES_KBPS[table]![bitrateIndex]! * 1000;
  const rate = MPEG1_RATES[rateIndex]! / (version === 3 ? 1 : version === 2 ? 2 : 4);
  if (layer === 1) return (Math.floor((12 * bitrate) / rate) + padding) * 4;
  const perFrame = layer === 3 && version !== 3 ? 72 : 144;
  return Math.floor((perFrame * bitrate) / rate) + padding;
}

/**
 * What the stream holds, or null while `head` is too short to tell (call again with more, or with `ended` once
 * the input is over). Throws AudioFormatError UNSUPPORTED_CODEC for a container Hearken recognises but cannot decode.
 */
export function sniffStream(head: Uint8Array, ended: boolean): StreamContent | null {
  if (head.length < 4 && !ended) return null;
  if (hasAscii(head, 'RIFF')) return 'wav';
  if (hasAscii(head, 'fLaC')) return 'flac';
  if (hasAscii(head, 'ID3')) return 'mp3';
  if (hasAscii(head, 'OggS')) {
    try {
      return oggCodec(head) === 'opus' ? 'ogg-opus' : 'ogg-vorbis';
    } catch (err) {
      if (!ended && err instanceof AudioFormatError && err.code === 'TRUNCATED_HEADER') return null;
      if (err instanceof AudioFormatError) throw new AudioFormatError(err.code, `${err.message}; ${CONVERT}`);
      throw err;
    }
  }
  for (const [at, signature, name] of UNSUPPORTED) {
    if (hasAscii(head, signature, at)) throw new AudioFormatError('UNSUPPORTED_CODEC', `the input is ${name}, which hearken stream does not decode; ${CONVERT}`);
  }
  // An MP3 without an ID3 tag, and AAC in ADTS frames, open with a frame header; raw samples can too, by chance,
  // so a second header must follow where the first frame ends.
  for (const [kind, frameLength] of [['mp3', mpegFrameLength], ['aac', adtsFrameLength]] as const) {
    const frame = frameLength(head, 0);
    if (frame === null) continue;
    if (head.length < frame + 7) return ended ? 'raw' : null;
    if (frameLength(head, frame) === null) continue;
    if (kind === 'mp3') return 'mp3';
    throw new AudioFormatError('UNSUPPORTED_CODEC', `the input is AAC (ADTS), which hearken stream does not decode; ${CONVERT}`);
  }
  return 'raw';
}

/** Length of the AAC ADTS frame whose header starts at `at`, or null when no ADTS header is there. */
function adtsFrameLength(bytes: Uint8Array, at: number): number | null {
  if (bytes.length < at + 7 || bytes[at] !== 0xff || (bytes[at + 1]! & 0xf6) !== 0xf0) return null;
  const length = ((bytes[at + 3]! & 3) << 11) | (bytes[at + 4]! << 3) | (bytes[at + 5]! >> 5);
  return length >= 7 ? length : null;
}
