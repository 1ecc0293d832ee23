/**
 * Ogg framing (RFC 3533), just enough to sniff the codec and to cut a file at its last complete page.
 *
 * A page: "OggS", version, flags, granule position (8 bytes), serial, sequence, CRC, segment count (byte 26),
 * then one lacing value per segment (the body length is their sum), then the body.
 */
import { AudioFormatError } from './errors.js';
import { hasAscii } from './magic.js';

export type OggCodec = 'opus' | 'vorbis';

const HEADER_BYTES = 27;

/** Length of the complete page at `at`, or -1 when the bytes end inside it. */
function pageLength(bytes: Uint8Array, at: number): number {
  if (bytes.length < at + HEADER_BYTES) return -1;
  const segments = bytes[at + 26]!;
  const bodyAt = at + HEADER_BYTES + segments;
  if (bytes.length < bodyAt) return -1;
  let body = 0;
  for (let i = at + HEADER_BYTES; i < bodyAt; i++) body += bytes[i]!;
  return bodyAt + body <= bytes.length ? bodyAt + body - at : -1;
}

/** The codec of an Ogg stream, from the first packet of its first page (the codec's identification header). */
export function oggCodec(bytes: Uint8Array): OggCodec {
  const segments = bytes[26];
  if (segments === undefined) throw new AudioFormatError('TRUNCATED_HEADER', 'the Ogg file ends inside its first page header');
  const packet = HEADER_BYTES + segments;
  if (hasAscii(bytes, 'OpusHead', packet)) return 'opus';
  if (bytes[packet] === 1 && hasAscii(bytes, 'vorbis', packet + 1)) return 'vorbis';
  if (bytes.length < packet + 8) throw new AudioFormatError('TRUNCATED_HEADER', 'the Ogg file ends before its first packet');
  throw new AudioFormatError('UNSUPPORTED_CODEC', 'the Ogg stream holds neither Opus nor Vorbis (the Ogg codecs supported)');
}

/**
 * The bytes without a last page that the file ends inside of. A file cut off inside a page (an interrupted
 * download or recording) would otherwise reach the decoders with packets missing: the Opus decoder then conceals
 * the "lost" packets with seconds of synthetic noise, and the Vorbis decoder can misalign the first samples.
 * Only the tail is looked at: damage earlier in the file is left to the decoders, which resynchronise on the
 * next page.
 */
export function completeOggPages(bytes: Uint8Array): Uint8Array {
  const end = completeOggLength(bytes);
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}

/**
 * Where the file's complete pages end (completeOggPages), from its last bytes: `tail` starts at byte `tailOffset`
 * of the file and must hold at least the largest page (65,307 bytes) unless it is the whole file.
 */
export function completeOggLength(tail: Uint8Array, tailOffset = 0): number {
  // The last page starts at the last "OggS" whose page header still fits or is itself cut off.
  for (let at = tail.length - 4; at >= 0; at--) {
    if (!hasAscii(tail, 'OggS', at)) continue;
    if (pageLength(tail, at) >= 0) return tailOffset + tail.length;
    if (at === 0 && tailOffset === 0) throw new AudioFormatError('TRUNCATED_HEADER', 'the Ogg file ends inside its first page');
    return tailOffset + at;
  }
  return tailOffset + tail.length;
}

/** The longest an Ogg page can be: header, 255 lacing values, 255 segments of 255 bytes. */
export const MAX_OGG_PAGE_BYTES = HEADER_BYTES + 255 + 255 * 255;
