import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wav from 'node-wav';
import { describe, expect, it } from 'vitest';
import { AudioFormatError, decodeAudio, decodeWav, prepareAudio, type AudioErrorCode } from '../../src/audio/index.js';
import { SAMPLES, rng, sine } from '../helpers.js';

/** Writes a WAV header + data by hand so tests control every field. */
function buildWav(opts: {
  tag?: number; channels?: number; rate?: number; bits?: number; blockAlign?: number;
  data?: Uint8Array; dataSize?: number; riff?: string; wave?: string; fmtSize?: number; omitFmt?: boolean; omitData?: boolean;
  extensibleSubTag?: number;
}): Uint8Array {
  const channels = opts.channels ?? 1;
  const bits = opts.bits ?? 16;
  const rate = opts.rate ?? 16000;
  const data = opts.data ?? new Uint8Array(64);
  const extensible = opts.extensibleSubTag !== undefined;
  const fmtSize = opts.fmtSize ?? (extensible ? 40 : 16);
  const chunks: Uint8Array[] = [];
  const header = new Uint8Array(12);
  const hv = new DataView(header.buffer);
  const ascii = (buf: Uint8Array, at: number, s: string): void => { for (let i = 0; i < 4; i++) buf[at + i] = s.charCodeAt(i); };
  ascii(header, 0, opts.riff ?? 'RIFF');
  ascii(header, 8, opts.wave ?? 'WAVE');
  chunks.push(header);
  if (!opts.omitFmt) {
    const fmt = new Uint8Array(8 + Math.max(fmtSize, 16) + (extensible ? 24 : 0));
    const fv = new DataView(fmt.buffer);
    ascii(fmt, 0, 'fmt ');
    fv.setUint32(4, fmtSize, true);
    fv.setUint16(8, extensible ? 0xfffe : opts.tag ?? 1, true);
    fv.setUint16(10, channels, true);
    fv.setUint32(12, rate, true);
    fv.setUint32(16, rate * channels * (bits / 8), true);
    fv.setUint16(20, opts.blockAlign ?? channels * (bits / 8), true);
    fv.setUint16(22, bits, true);
    if (extensible) fv.setUint16(32, opts.extensibleSubTag!, true);
    chunks.push(fmt.subarray(0, 8 + fmtSize));
  }
  if (!opts.omitData) {
    const dh = new Uint8Array(8);
    ascii(dh, 0, 'data');
    new DataView(dh.buffer).setUint32(4, opts.dataSize ?? data.length, true);
    chunks.push(dh, data);
  }
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  hv.setUint32(4, total - 8, true);
  out.set(header.subarray(0, 8));
  return out;
}

describe('WAV format matrix', () => {
  const formats: { bits: number; float: boolean; tolerance: number }[] = [
    { bits: 8, float: false, tolerance: 1 / 64 },
    { bits: 16, float: false, tolerance: 1 / 30000 },
    { bits: 24, float: false, tolerance: 1e-6 },
    { bits: 32, float: false, tolerance: 1e-6 },
    { bits: 32, float: true, tolerance: 1e-7 },
  ];
  for (const { bits, float, tolerance } of formats) {
    for (const channels of [1, 2, 3]) {
      for (const rate of [8000, 16000, 22050, 44100, 48000]) {
        it(`${float ? 'float' : 'PCM'} ${bits}-bit, ${channels} ch, ${rate} Hz`, async () => {
          const signal = sine(440, rate, 0.25, 0.4);
          const channelData = Array.from({ length: channels }, (_, c) => signal.map((v) => v * (c % 2 ? -0.5 : 1)));
          const bytes = wav.encode(channelData, { sampleRate: rate, float, bitDepth: bits });
          const decoded = decodeWav(new Uint8Array(bytes));
          expect(decoded.sampleRate).toBe(rate);
          expect(decoded.channels).toHaveLength(channels);
          for (let c = 0; c < channels; c++) {
            let worst = 0;
            for (let i = 0; i < signal.length; i++) worst = Math.max(worst, Math.abs(decoded.channels[c]![i]! - channelData[c]![i]!));
            expect(worst).toBeLessThan(tolerance);
          }
          const prepared = await prepareAudio(new Uint8Array(bytes));
          expect(prepared.sampleRate).toBe(16000);
          expect(prepared.samples.length).toBe(Math.round((signal.length * 16000) / rate));
        });
      }
    }
  }

  it('decodes 64-bit float (built by hand: node-wav cannot encode it)', () => {
    const values = [0, 0.5, -0.25, 1, -1];
    const data = new Uint8Array(values.length * 8);
    values.forEach((v, i) => new DataView(data.buffer).setFloat64(i * 8, v, true));
    const decoded = decodeWav(buildWav({ tag: 3, bits: 64, data }));
    expect(Array.from(decoded.channels[0]!)).toEqual(values);
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE PCM and skips unknown chunks', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setInt16(0, 16384, true);
    const bytes = buildWav({ extensibleSubTag: 1, data });
    const decoded = decodeWav(bytes);
    expect(decoded.channels[0]![0]).toBeCloseTo(16384 / 32767, 6);
  });

  it('accepts the "unknown size" data chunk of streaming recorders', () => {
    const data = new Uint8Array(100);
    const decoded = decodeWav(buildWav({ data, dataSize: 0xffffffff }));
    expect(decoded.channels[0]!.length).toBe(50);
  });

  it('decodes the 44.1 kHz stereo fixture to 16 kHz mono', async () => {
    const bytes = readFileSync(join(SAMPLES, 'stereo-44k-librilight-831-130739-0012.wav'));
    const prepared = await prepareAudio(bytes);
    expect(prepared.source).toMatchObject({ sampleRate: 44100, channels: 2 });
    expect(prepared.samples.length).toBe(Math.round(prepared.source.seconds * 16000));
  });
});

describe('malformed WAV input', () => {
  const pcm = new Uint8Array(64);
  const cases: { name: string; bytes: Uint8Array; code: AudioErrorCode; message: RegExp }[] = [
    { name: 'empty file', bytes: new Uint8Array(0), code: 'EMPTY', message: /empty/ },
    { name: 'too short for a header', bytes: new Uint8Array([0x52, 0x49, 0x46, 0x46, 0]), code: 'TRUNCATED_HEADER', message: /bytes/ },
    { name: 'not RIFF', bytes: buildWav({ riff: 'RIFX' }), code: 'NOT_RIFF', message: /RIFF/ },
    { name: 'RIFF but not WAVE', bytes: buildWav({ wave: 'AVI ' }), code: 'NOT_WAVE', message: /AVI/ },
    { name: 'no fmt chunk', bytes: buildWav({ omitFmt: true }), code: 'MISSING_FMT', message: /fmt/ },
    { name: 'no data chunk', bytes: buildWav({ omitData: true }), code: 'MISSING_DATA', message: /data/ },
    { name: 'fmt chunk too short', bytes: buildWav({ fmtSize: 12 }), code: 'TRUNCATED_HEADER', message: /fmt/ },
    { name: 'mu-law codec', bytes: buildWav({ tag: 7, bits: 8 }), code: 'UNSUPPORTED_CODEC', message: /mu-law/ },
    { name: 'MP3 in WAV', bytes: buildWav({ tag: 0x55 }), code: 'UNSUPPORTED_CODEC', message: /MP3/ },
    { name: 'ADPCM via extensible', bytes: buildWav({ extensibleSubTag: 2 }), code: 'UNSUPPORTED_CODEC', message: /ADPCM/ },
    { name: '12-bit PCM', bytes: buildWav({ bits: 12, blockAlign: 2 }), code: 'UNSUPPORTED_BIT_DEPTH', message: /12 bits/ },
    { name: '16-bit float', bytes: buildWav({ tag: 3, bits: 16 }), code: 'UNSUPPORTED_BIT_DEPTH', message: /float/ },
    { name: 'zero channels', bytes: buildWav({ channels: 0, blockAlign: 2 }), code: 'BAD_CHANNELS', message: /0 channels/ },
    { name: 'absurd channel count', bytes: buildWav({ channels: 5000, blockAlign: 2 }), code: 'BAD_CHANNELS', message: /5000/ },
    { name: 'zero sample rate', bytes: buildWav({ rate: 0 }), code: 'BAD_SAMPLE_RATE', message: /0 Hz/ },
    { name: 'absurd sample rate', bytes: buildWav({ rate: 4_000_000_000 }), code: 'BAD_SAMPLE_RATE', message: /Hz/ },
    { name: 'inconsistent block align', bytes: buildWav({ channels: 2, blockAlign: 2 }), code: 'BAD_BLOCK_ALIGN', message: /block align/ },
    { name: 'data shorter than declared', bytes: buildWav({ data: pcm, dataSize: 1_000_000 }), code: 'TRUNCATED_DATA', message: /truncated/ },
    { name: 'odd data size for 16-bit', bytes: buildWav({ data: new Uint8Array(63) }), code: 'TRUNCATED_DATA', message: /whole number/ },
    { name: 'file cut inside fmt', bytes: buildWav({}).subarray(0, 20), code: 'TRUNCATED_HEADER', message: /fmt/ },
  ];
  for (const { name, bytes, code, message } of cases) {
    it(`${name} → ${code}`, async () => {
      let error: unknown = null;
      try {
        decodeWav(bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AudioFormatError);
      expect((error as AudioFormatError).code).toBe(code);
      expect((error as AudioFormatError).message).toMatch(message);
    });
  }
});

describe('container sniffing', () => {
  it('refuses bytes that are no known container', async () => {
    await expect(decodeAudio(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]))).rejects.toMatchObject({
      code: 'UNKNOWN_CONTAINER',
      message: expect.stringMatching(/WAV \(RIFF\), FLAC, Ogg Opus, Ogg Vorbis or MP3/),
    });
  });

  it('reports a corrupt FLAC and a corrupt Ogg stream as typed decode errors', async () => {
    const flac = new Uint8Array(200).fill(7);
    flac.set([0x66, 0x4c, 0x61, 0x43]);
    await expect(decodeAudio(flac)).rejects.toBeInstanceOf(AudioFormatError);
    const ogg = new Uint8Array(200).fill(9);
    ogg.set([0x4f, 0x67, 0x67, 0x53]);
    await expect(decodeAudio(ogg)).rejects.toBeInstanceOf(AudioFormatError);
  });
});

describe('fuzzing', () => {
  it('2,000 mutated WAVs decode or fail with an AudioFormatError, never anything else', async () => {
    const random = rng(42);
    const base = new Uint8Array(wav.encode([sine(300, 16000, 0.01)], { sampleRate: 16000, float: false, bitDepth: 16 }));
    const seeds = [base, buildWav({ extensibleSubTag: 1 }), buildWav({ tag: 3, bits: 32 }), buildWav({ channels: 2 })];
    let failures = 0;
    for (let i = 0; i < 2000; i++) {
      const seed = seeds[i % seeds.length]!;
      let bytes = seed.slice();
      const mutations = 1 + Math.floor(random() * 4);
      for (let m = 0; m < mutations; m++) {
        const kind = random();
        if (kind < 0.6) {
          // Headers are where parsers break: bias mutations to the first 80 bytes.
          const at = random() < 0.8 ? Math.floor(random() * Math.min(80, bytes.length)) : Math.floor(random() * bytes.length);
          bytes[at] = Math.floor(random() * 256);
        } else if (kind < 0.8) {
          bytes = bytes.subarray(0, Math.floor(random() * bytes.length)).slice();
        } else {
          const extra = new Uint8Array(Math.floor(random() * 9));
          const grown = new Uint8Array(bytes.length + extra.length);
          grown.set(bytes);
          grown.set(extra.map(() => Math.floor(random() * 256)), bytes.length);
          bytes = grown;
        }
      }
      try {
        await prepareAudio(bytes);
      } catch (err) {
        failures++;
        if (!(err instanceof AudioFormatError)) throw new Error(`case ${i}: ${String(err)}`);
      }
    }
    // Most mutations must be caught; a fuzz loop where nothing fails tests nothing.
    expect(failures).toBeGreaterThan(200);
  });
});
