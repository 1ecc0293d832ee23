import { open, stat, type FileHandle } from 'node:fs/promises';
import { detectContainer, MAX_AUDIO_FILE_BYTES, type Container } from './decode.js';
import { AudioFormatError } from './errors.js';
import { hasAscii } from './magic.js';
import { completeOggLength, MAX_OGG_PAGE_BYTES } from './ogg.js';
import { compressedPieceDecoder, TargetRateConverter, WavPieceDecoder, type DecodedPiece, type PieceDecoder } from './piece-decoders.js';
import { parseWavFileHeader } from './wav.js';

/** Bytes read at a time: ~2 s of 16 kHz WAV, ~16 s of 32 kbit/s Opus; far below any file worth streaming. */
const READ_BYTES = 1 << 16;
/** Enough of the file's start to sniff any container and hold a WAV header with its metadata chunks. */
const HEAD_BYTES = 1 << 20;
const ID3V1_BYTES = 128;

export interface AudioFileStreamOptions {
  /** Refuse audio longer than this many seconds: AudioFormatError `TOO_LONG`, before decoding when the header says. */
  maxSeconds?: number;
  /** Bytes read and decoded at a time (default 64 KiB); the samples are the same for any size. */
  readBytes?: number;
}

/** What a file held, once read: its own rate, channels and encoding, and its length. */
export interface AudioSource {
  sampleRate: number;
  channels: number;
  encoding: string;
  seconds: number;
}

/**
 * An audio file (WAV, FLAC, Ogg Opus/Vorbis, MP3) read and decoded piece by piece into 16 kHz mono samples, with
 * memory bounded independently of its duration. The samples equal those readAudioFile gives for the whole file,
 * so transcripts do not depend on which is used.
 */
export class AudioFileStream {
  private readonly converter = new TargetRateConverter();

  private constructor(
    readonly path: string,
    readonly container: Container,
    private readonly decoder: PieceDecoder,
    /** The byte range the decoder reads: past a WAV header, short of an ID3v1 tag or a cut-off Ogg page. */
    private readonly start: number,
    private readonly end: number,
    private readonly maxSeconds: number | undefined,
    private readonly readBytes: number,
  ) {}

  /** Checks the file and its header; refuses what readAudioFile refuses (same codes), and audio over maxSeconds when the header tells. */
  static async open(path: string, options: AudioFileStreamOptions = {}): Promise<AudioFileStream> {
    const { maxSeconds, readBytes = READ_BYTES } = options;
    if (!Number.isInteger(readBytes) || readBytes < 1) throw new RangeError(`readBytes must be a positive integer, got ${readBytes}`);
    if (maxSeconds !== undefined && !(maxSeconds > 0)) throw new RangeError(`maxSeconds must be a positive number, got ${maxSeconds}`);
    const info = await stat(path);
    if (!info.isFile()) throw new AudioFormatError('UNKNOWN_CONTAINER', `${path} is not a regular file`);
    if (info.size > MAX_AUDIO_FILE_BYTES) {
      throw new AudioFormatError('TOO_LARGE', `${path} is ${info.size} bytes; the limit is ${MAX_AUDIO_FILE_BYTES}`);
    }
    const size = info.size;
    const file = await open(path, 'r');
    try {
      const head = await readAt(file, 0, Math.min(size, HEAD_BYTES));
      const container = detectContainer(head);
      if (container === 'wav') {
        const layout = parseWavFileHeader(head, size);
        const { format } = layout;
        const seconds = layout.dataBytes / format.blockAlign / format.sampleRate;
        if (maxSeconds !== undefined && seconds > maxSeconds) throw tooLong(path, maxSeconds, seconds);
        return new AudioFileStream(path, container, new WavPieceDecoder(format), layout.dataOffset, layout.dataOffset + layout.dataBytes, maxSeconds, readBytes);
      }
      let end = size;
      if (container === 'flac' && size > ID3V1_BYTES && hasAscii(await readAt(file, size - ID3V1_BYTES, 3), 'TAG')) end = size - ID3V1_BYTES;
      if (container === 'ogg-opus' || container === 'ogg-vorbis') {
        const tailStart = Math.max(0, size - MAX_OGG_PAGE_BYTES - 4);
        end = completeOggLength(await readAt(file, tailStart, size - tailStart), tailStart);
      }
      return new AudioFileStream(path, container, compressedPieceDecoder(container), 0, end, maxSeconds, readBytes);
    } finally {
      await file.close();
    }
  }

  /** The source's rate, channels, encoding and the seconds read so far (all of it once samples() is done). */
  get source(): AudioSource {
    const { sampleRate, channels, seconds } = this.converter;
    return { sampleRate, channels, encoding: this.decoder.encoding, seconds };
  }

  /** The 16 kHz mono samples, a piece at a time; iterate once. Frees the decoder when done or abandoned. */
  async *samples(): AsyncGenerator<Float32Array, void, undefined> {
    const file = await open(this.path, 'r');
    try {
      for (let at = this.start; at < this.end;) {
        const bytes = await readAt(file, at, Math.min(this.readBytes, this.end - at));
        if (bytes.length === 0) break; // the file shrank while being read
        at += bytes.length;
        const out = await this.convert(await this.decoder.push(bytes));
        if (out.length > 0) yield out;
      }
      const last = await this.convert(await this.decoder.end());
      if (last.length > 0) yield last;
      const tail = this.converter.flush();
      if (tail.length > 0) yield tail;
    } finally {
      this.converter.destroy();
      this.decoder.free();
      await file.close();
    }
  }

  private async convert(piece: DecodedPiece | null): Promise<Float32Array> {
    if (!piece) return new Float32Array(0);
    const out = await this.converter.push(piece);
    if (this.maxSeconds !== undefined && this.converter.seconds > this.maxSeconds) throw tooLong(this.path, this.maxSeconds);
    return out;
  }
}

function tooLong(path: string, maxSeconds: number, seconds?: number): AudioFormatError {
  const length = seconds === undefined ? `more than ${maxSeconds} s` : `${seconds.toFixed(1)} s`;
  return new AudioFormatError('TOO_LONG', `${path} holds ${length} of audio; the limit (maxDuration, --max-duration) is ${maxSeconds} s`);
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
