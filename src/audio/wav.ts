import wav from 'node-wav';
import { AudioFormatError } from './errors.js';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, type DecodedAudio } from './types.js';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Streaming recorders write these as the data size when they never came back to fix the header. */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);
const MAX_CHANNELS = 64;

export interface WavFormat {
  floatingPoint: boolean;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitDepth: number;
}

export interface WavLayout {
  format: WavFormat;
  dataOffset: number;
  dataBytes: number;
}

const CODEC_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};

function codecName(tag: number): string {
  return CODEC_NAMES[tag] ?? `format tag 0x${tag.toString(16).padStart(4, '0')}`;
}

function readFmt(view: DataView, offset: number, size: number): WavFormat {
  if (size < 16) {
    throw new AudioFormatError('TRUNCATED_HEADER', `WAV "fmt " chunk is ${size} bytes; at least 16 are required`);
  }
  let tag = view.getUint16(offset, true);
  const channels = view.getUint16(offset + 2, true);
  const sampleRate = view.getUint32(offset + 4, true);
  const blockAlign = view.getUint16(offset + 12, true);
  const bitDepth = view.getUint16(offset + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) {
      throw new AudioFormatError('TRUNCATED_HEADER', 'WAV extensible "fmt " chunk is shorter than 40 bytes');
    }
    // The first two bytes of the sub-format GUID carry the real codec tag.
    tag = view.getUint16(offset + 24, true);
  }
  if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
    throw new AudioFormatError(
      'UNSUPPORTED_CODEC',
      `WAV codec ${codecName(tag)} is not supported; convert to PCM or float WAV (e.g. sox in.wav -e signed -b 16 out.wav)`,
    );
  }
  const floatingPoint = tag === WAVE_FORMAT_IEEE_FLOAT;
  const validDepths = floatingPoint ? [32, 64] : [8, 16, 24, 32];
  if (!validDepths.includes(bitDepth)) {
    throw new AudioFormatError(
      'UNSUPPORTED_BIT_DEPTH',
      `WAV ${floatingPoint ? 'float' : 'PCM'} with ${bitDepth} bits per sample is not supported (supported: ${validDepths.join(', ')})`,
    );
  }
  if (channels === 0 || channels > MAX_CHANNELS) {
    throw new AudioFormatError('BAD_CHANNELS', `WAV declares ${channels} channels; expected 1 to ${MAX_CHANNELS}`);
  }
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new AudioFormatError(
      'BAD_SAMPLE_RATE',
      `WAV declares a sample rate of ${sampleRate} Hz; expected ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz`,
    );
  }
  if (blockAlign !== channels * (bitDepth / 8)) {
    throw new AudioFormatError(
      'BAD_BLOCK_ALIGN',
      `WAV block align is ${blockAlign} bytes but ${channels} channel(s) of ${bitDepth} bits need ${channels * (bitDepth / 8)}`,
    );
  }
  return { floatingPoint, channels, sampleRate, blockAlign, bitDepth };
}

interface DataChunk {
  format: WavFormat;
  /** Where the samples start. */
  dataOffset: number;
  /** The data chunk's declared size (0 or 0xffffffff when a streaming writer never fixed it). */
  declaredBytes: number;
}

/** Why the bytes end before a data chunk: inside the fmt chunk, with no fmt chunk yet, or after it. */
type MissingHeader = 'truncated-fmt' | 'no-fmt' | 'no-data';

/**
 * Walks the RIFF chunks up to the data chunk, validating the header; says what is missing when `bytes` ends
 * before it (a truncated file, or a stream's first bytes). Throws AudioFormatError for what is not a usable WAV.
 */
function findDataChunk(bytes: Uint8Array): DataChunk | MissingHeader {
  if (bytes.byteLength < 12) return 'no-fmt';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (tag(0) !== 'RIFF') {
    throw new AudioFormatError('NOT_RIFF', 'not a WAV file: it does not start with "RIFF"');
  }
  if (tag(8) !== 'WAVE') {
    throw new AudioFormatError('NOT_WAVE', `RIFF file of type "${tag(8)}", not "WAVE"`);
  }
  let format: WavFormat | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.byteLength) {
    const id = tag(pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.byteLength) return 'truncated-fmt';
      format = readFmt(view, body, size);
    } else if (id === 'data') {
      if (!format) throw new AudioFormatError('MISSING_FMT', 'the "data" chunk comes before any "fmt " chunk');
      return { format, dataOffset: body, declaredBytes: size };
    }
    // Chunks are padded to even sizes.
    pos = body + size + (size & 1);
  }
  return format ? 'no-data' : 'no-fmt';
}

/** Walks the RIFF chunks and validates everything the sample decoder will rely on. */
export function parseWavLayout(bytes: Uint8Array): WavLayout {
  return parseWavFileHeader(bytes, bytes.byteLength);
}

/**
 * The layout of a WAV file of `fileBytes` bytes from its first bytes (`prefix`, all of them or enough to hold the
 * header): what a file read piece by piece needs before its samples. Same checks as parseWavLayout.
 */
export function parseWavFileHeader(prefix: Uint8Array, fileBytes: number): WavLayout {
  if (fileBytes === 0) throw new AudioFormatError('EMPTY', 'the file is empty');
  if (fileBytes < 12) {
    throw new AudioFormatError('TRUNCATED_HEADER', `only ${fileBytes} bytes; a WAV header needs at least 44`);
  }
  const found = findDataChunk(prefix);
  if (typeof found === 'string' && prefix.byteLength < fileBytes) {
    throw new AudioFormatError('TRUNCATED_HEADER', `no WAV "data" chunk within the first ${prefix.byteLength} bytes`);
  }
  if (found === 'truncated-fmt') throw new AudioFormatError('TRUNCATED_HEADER', 'the file ends inside its "fmt " chunk');
  if (found === 'no-fmt') throw new AudioFormatError('MISSING_FMT', 'no "fmt " chunk found');
  if (found === 'no-data') throw new AudioFormatError('MISSING_DATA', 'no "data" chunk found');
  const { format, dataOffset: body, declaredBytes: size } = found;
  const available = fileBytes - body;
  let dataBytes = size;
  if (UNKNOWN_SIZES.has(size)) {
    dataBytes = available - (available % format.blockAlign);
  } else if (size > available) {
    throw new AudioFormatError(
      'TRUNCATED_DATA',
      `the data chunk declares ${size} bytes but only ${available} follow: the file is truncated`,
    );
  } else if (size % format.blockAlign !== 0) {
    throw new AudioFormatError(
      'TRUNCATED_DATA',
      `the data chunk holds ${size} bytes, not a whole number of ${format.blockAlign}-byte sample frames`,
    );
  }
  return { format, dataOffset: body, dataBytes };
}

/** The header of a WAV arriving as a stream: its format and where the samples start. */
export interface WavStreamHeader {
  format: WavFormat;
  dataOffset: number;
}

/**
 * For WAV data arriving in pieces (`ffmpeg ... -f wav -`, `arecord`): the header once `prefix` holds all of
 * it, or null while more bytes are needed. The data size is not checked: streaming writers leave it unknown.
 */
export function parseWavStreamHeader(prefix: Uint8Array): WavStreamHeader | null {
  const found = findDataChunk(prefix);
  return typeof found === 'string' ? null : { format: found.format, dataOffset: found.dataOffset };
}

/**
 * A canonical header in front of a copy of the data, which node-wav reads safely: node-wav views the data
 * through typed arrays, so a 4-byte "pad " chunk puts the data at byte 56, aligned for 64-bit floats.
 */
const CANONICAL_DATA_OFFSET = 56;

function canonicalWav(bytes: Uint8Array, layout: WavLayout): Uint8Array {
  const { format, dataOffset, dataBytes } = layout;
  const out = new Uint8Array(CANONICAL_DATA_OFFSET + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, CANONICAL_DATA_OFFSET - 8 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format.floatingPoint ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.sampleRate, true);
  view.setUint32(28, format.sampleRate * format.blockAlign, true);
  view.setUint16(32, format.blockAlign, true);
  view.setUint16(34, format.bitDepth, true);
  ascii(36, 'pad ');
  view.setUint32(40, 4, true);
  ascii(48, 'data');
  view.setUint32(52, dataBytes, true);
  out.set(bytes.subarray(dataOffset, dataOffset + dataBytes), CANONICAL_DATA_OFFSET);
  return out;
}

/** Decodes a WAV file (PCM 8/16/24/32-bit, float 32/64, any channel count and rate). */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const layout = parseWavLayout(bytes);
  const { format } = layout;
  return { sampleRate: format.sampleRate, channels: decodeWavData(bytes, layout), encoding: wavEncoding(format) };
}

/** "WAV PCM 16-bit", "WAV float 32-bit". */
export function wavEncoding(format: WavFormat): string {
  return `WAV ${format.floatingPoint ? 'float' : 'PCM'} ${format.bitDepth}-bit`;
}

/**
 * Per-channel samples of whole sample frames of a WAV's data (`frames`, a piece of the data chunk): the same
 * values decodeWav gives for them, so a file read piece by piece decodes to the samples of one read whole.
 */
export function decodeWavFrames(frames: Uint8Array, format: WavFormat): Float32Array[] {
  return decodeWavData(frames, { format, dataOffset: 0, dataBytes: frames.byteLength });
}

function decodeWavData(bytes: Uint8Array, layout: WavLayout): Float32Array[] {
  try {
    return wav.decode(Buffer.from(canonicalWav(bytes, layout).buffer)).channelData;
  } catch (cause) {
    throw new AudioFormatError('DECODE_FAILED', `WAV samples could not be decoded: ${String(cause)}`, { cause });
  }
}

/** Encodes mono 16-bit PCM WAV; used for fixtures and tests. */
export function encodeWav16(samples: Float32Array, sampleRate: number): Buffer {
  return wav.encode([samples], { sampleRate, float: false, bitDepth: 16 });
}
