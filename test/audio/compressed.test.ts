import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { AudioFormatError, decodeAudio, detectContainer, prepareAudio, readAudioFile } from '../../src/audio/index.js';

// One real utterance (Libri-light speaker 831) in every container Hearken reads. The .opus file is the dataset's
// original; the WAV next to the fixtures was decoded from it by opusdec, and the FLAC, MP3 and Vorbis files were
// encoded from that WAV by sox (audio-samples/build.sh).
const STEM = 'audio-samples/compressed/librilight-831-130739-0011';
const WAV = 'audio-samples/librilight-831-130739-0011.wav';
const bytesOf = (ext: string): Uint8Array => new Uint8Array(readFileSync(`${STEM}.${ext}`));

/** Normalised cross-correlation of y against x, y shifted by `lag` samples. */
function correlation(x: Float32Array, y: Float32Array, lag: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    const j = i + lag;
    if (j < 0 || j >= y.length) continue;
    xy += x[i]! * y[j]!;
    xx += x[i]! * x[i]!;
    yy += y[j]! * y[j]!;
  }
  return xy / Math.sqrt(xx * yy);
}

/** The lag in [0, maxLag] at which y best matches x, and the correlation there. */
function bestLag(x: Float32Array, y: Float32Array, maxLag: number): { lag: number; corr: number } {
  let best = { lag: 0, corr: -1 };
  for (let lag = 0; lag <= maxLag; lag++) {
    const corr = correlation(x, y, lag);
    if (corr > best.corr) best = { lag, corr };
  }
  return best;
}

describe('compressed audio', () => {
  it.each([
    ['flac', 'flac', 'FLAC'],
    ['opus', 'ogg-opus', 'Ogg Opus'],
    ['ogg', 'ogg-vorbis', 'Ogg Vorbis'],
    ['mp3', 'mp3', 'MP3'],
  ])('sniffs .%s as %s from its bytes', async (ext, container, encoding) => {
    const bytes = bytesOf(ext);
    expect(detectContainer(bytes)).toBe(container);
    expect((await decodeAudio(bytes)).encoding).toBe(encoding);
  });

  it('decodes FLAC to the samples of the WAV it was made from (lossless)', async () => {
    const wav = await readAudioFile(WAV);
    const flac = await readAudioFile(`${STEM}.flac`);
    expect(flac.source).toMatchObject({ sampleRate: 16000, channels: 1, encoding: 'FLAC' });
    expect(flac.samples.length).toBe(wav.samples.length);
    expect(flac.samples).toStrictEqual(wav.samples);
  });

  it('decodes the original Ogg Opus at 48 kHz and resamples it to what opusdec makes at 16 kHz', async () => {
    const wav = await readAudioFile(WAV);
    const opus = await readAudioFile(`${STEM}.opus`);
    expect(opus.source.sampleRate).toBe(48000);
    expect(opus.samples.length).toBe(wav.samples.length);
    expect(correlation(wav.samples, opus.samples, 0)).toBeGreaterThan(0.999);
  });

  it('decodes Ogg Vorbis aligned with the source', async () => {
    const wav = await readAudioFile(WAV);
    const vorbis = await readAudioFile(`${STEM}.ogg`);
    expect(vorbis.samples.length).toBe(wav.samples.length);
    expect(correlation(wav.samples, vorbis.samples, 0)).toBeGreaterThan(0.99);
  });

  it('decodes MP3 with only the encoder delay added (no gapless tag in this file)', async () => {
    const wav = await readAudioFile(WAV);
    const mp3 = await readAudioFile(`${STEM}.mp3`);
    expect(mp3.source.sampleRate).toBe(16000);
    // LAME delays the audio by 576 + 529 samples and pads the end to a whole frame (576 samples at 16 kHz);
    // without a LAME tag in the file the decoder can trim neither.
    const { lag, corr } = bestLag(wav.samples, mp3.samples, 2000);
    expect(corr).toBeGreaterThan(0.99);
    expect(lag).toBe(1105);
    expect(mp3.samples.length - wav.samples.length).toBeGreaterThanOrEqual(lag);
    expect(mp3.samples.length - wav.samples.length).toBeLessThan(lag + 576);
  });

  it('reads MP3 behind an ID3v2 tag, as most MP3 files have', async () => {
    const plain = bytesOf('mp3');
    const frame = new TextEncoder().encode('TIT2\0\0\0\x06\0\0\0Bill\0');
    const size = frame.length + 20; // padding after the frames, as taggers leave
    const tag = new Uint8Array(10 + size);
    tag.set(new TextEncoder().encode('ID3\x04\0\0'));
    // Syncsafe size: 7 bits per byte.
    tag.set([(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f], 6);
    tag.set(frame, 10);
    const tagged = new Uint8Array(tag.length + plain.length);
    tagged.set(tag);
    tagged.set(plain, tag.length);
    expect(detectContainer(tagged)).toBe('mp3');
    expect((await prepareAudio(tagged)).samples).toEqual((await prepareAudio(plain)).samples);
  });

  it.each(['flac', 'opus', 'ogg', 'mp3'])('decodes all of a .%s followed by an ID3v1 tag', async (ext) => {
    const plain = bytesOf(ext);
    const tagged = new Uint8Array(plain.length + 128);
    tagged.set(plain);
    tagged.set(new TextEncoder().encode(`TAG${'Bill'.padEnd(30, '\0')}`), plain.length);
    const want = (await decodeAudio(plain)).channels[0]!;
    expect((await decodeAudio(tagged)).channels[0]!).toStrictEqual(want);
  });

  it('does not take bytes that merely start with 0xFF for MP3', () => {
    // 0xFFFF...: the sync bits are there but the version (01) is reserved.
    expect(() => detectContainer(new Uint8Array(64).fill(0xff))).toThrow(expect.objectContaining({ code: 'UNKNOWN_CONTAINER' }));
  });

  it('names an Ogg stream of another codec instead of failing to decode it', () => {
    const bytes = bytesOf('opus').slice();
    const packet = 27 + bytes[26]!;
    bytes.set(new TextEncoder().encode('\x7fFLAC\x01\0\0'), packet);
    expect(() => detectContainer(bytes)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CODEC', message: expect.stringMatching(/Opus nor Vorbis/) }));
    expect(() => detectContainer(bytes.subarray(0, 20))).toThrow(expect.objectContaining({ code: 'TRUNCATED_HEADER' }));
  });

  it.each(['flac', 'opus', 'ogg', 'mp3'])('refuses a .%s cut inside its headers with an AudioFormatError', async (ext) => {
    for (const length of [1, 4, 16, 40]) {
      await expect(decodeAudio(bytesOf(ext).subarray(0, length))).rejects.toBeInstanceOf(AudioFormatError);
    }
  });

  it.each(['flac', 'opus', 'ogg', 'mp3'])('decodes the start of a .%s that was cut off, and nothing else', async (ext) => {
    const bytes = bytesOf(ext);
    const full = (await decodeAudio(bytes)).channels[0]!;
    for (const kept of [0.5, 0.75, 0.99]) {
      const part = (await decodeAudio(bytes.subarray(0, Math.floor(bytes.length * kept)))).channels[0]!;
      expect(part.length).toBeGreaterThan(0);
      // A cut Ogg page is dropped whole (up to about a second of audio); before that, the Opus decoder padded the
      // cut with seconds of packet-loss concealment noise, more the earlier the cut.
      expect(part.length).toBeLessThanOrEqual(full.length);
      expect(correlation(full.subarray(0, part.length), part, 0)).toBeGreaterThan(0.99);
    }
  });

  it('names a cut Ogg file that holds no complete audio page', async () => {
    const ogg = bytesOf('opus');
    await expect(decodeAudio(ogg.subarray(0, 30))).rejects.toMatchObject({ code: 'TRUNCATED_HEADER' });
  });

  it.each(['flac', 'opus', 'ogg', 'mp3'])('200 mutated .%s files decode or fail with an AudioFormatError, never anything else', async (ext) => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const base = bytesOf(ext);
    // The wasm decoders log each corrupt frame to the console as well as returning it; keep the test output clean.
    const quiet = [vi.spyOn(console, 'error').mockImplementation(() => undefined), vi.spyOn(console, 'warn').mockImplementation(() => undefined)];
    onTestFinished(() => quiet.forEach((spy) => spy.mockRestore()));
    for (let i = 0; i < 200; i++) {
      const bytes = base.slice();
      for (let m = 0; m < 1 + Math.floor(random() * 8); m++) {
        // Headers are where parsers break: half the mutations hit the first 200 bytes.
        const at = random() < 0.5 ? Math.floor(random() * 200) : Math.floor(random() * bytes.length);
        bytes[at] = Math.floor(random() * 256);
      }
      try {
        const audio = await decodeAudio(bytes);
        expect(audio.channels.length).toBeGreaterThan(0);
      } catch (error) {
        expect(error).toBeInstanceOf(AudioFormatError);
      }
    }
  });
});
