import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wav from 'node-wav';
import { describe, expect, it } from 'vitest';
import { AudioFileStream } from '../../src/audio/file-stream.js';
import { AudioFormatError, readAudioFile } from '../../src/audio/index.js';
import { concatFloat32 } from '../../src/util/float32.js';
import { SAMPLES, rng, tempDir } from '../helpers.js';

const STEM = join(SAMPLES, 'compressed', 'librilight-831-130739-0011');

async function streamed(path: string, readBytes?: number, maxSeconds?: number): Promise<{ samples: Float32Array; stream: AudioFileStream }> {
  const stream = await AudioFileStream.open(path, { readBytes, maxSeconds });
  const pieces: Float32Array[] = [];
  for await (const piece of stream.samples()) pieces.push(piece);
  return { samples: concatFloat32(pieces), stream };
}

/** Decoded piece by piece, in small and odd-sized reads, a file gives exactly the samples of readAudioFile. */
async function expectSameAsWhole(path: string): Promise<void> {
  const whole = await readAudioFile(path);
  for (const readBytes of [undefined, 997, 4096]) {
    const { samples, stream } = await streamed(path, readBytes);
    expect(samples.length, `${path} in ${readBytes ?? 'default'}-byte reads`).toBe(whole.samples.length);
    let differing = 0;
    for (let i = 0; i < samples.length; i++) if (samples[i] !== whole.samples[i]) differing++;
    expect(differing, `${path} in ${readBytes ?? 'default'}-byte reads`).toBe(0);
    expect(stream.source).toEqual(whole.source);
  }
}

describe('AudioFileStream', () => {
  it.each([
    ['16 kHz mono WAV', join(SAMPLES, 'librilight-831-130739-0011.wav')],
    ['44.1 kHz stereo WAV', join(SAMPLES, 'stereo-44k-librilight-831-130739-0012.wav')],
    ['8 kHz WAV', join(SAMPLES, 'digit-8k-fsdd-7.wav')],
    ['FLAC', `${STEM}.flac`],
    ['Ogg Opus', `${STEM}.opus`],
    ['Ogg Vorbis', `${STEM}.ogg`],
    ['MP3', `${STEM}.mp3`],
  ])('decodes %s to the samples of the whole-file reader', async (_, path) => {
    await expectSameAsWhole(path);
  });

  it('reads every WAV sample format as the whole-file reader does', async () => {
    const random = rng(7);
    const channels = [0, 1].map(() => Float32Array.from({ length: 3001 }, () => random() * 2 - 1));
    channels[0]![5] = -1;
    channels[1]![9] = 1;
    const dir = tempDir();
    for (const [bitDepth, float] of [[8, false], [16, false], [24, false], [32, false], [32, true]] as const) {
      const path = join(dir, `${bitDepth}${float ? 'f' : ''}.wav`);
      writeFileSync(path, wav.encode(channels, { sampleRate: 22050, float, bitDepth }));
      await expectSameAsWhole(path);
    }
  });

  it('drops what the whole-file reader drops: an ID3v1 tag after FLAC, an Ogg page cut off at the end', async () => {
    const dir = tempDir();
    const tagged = join(dir, 'tagged.flac');
    copyFileSync(`${STEM}.flac`, tagged);
    appendFileSync(tagged, Buffer.concat([Buffer.from('TAG'), Buffer.alloc(125, 0x20)]));
    await expectSameAsWhole(tagged);
    const cut = join(dir, 'cut.opus');
    const opus = readFileSync(`${STEM}.opus`);
    writeFileSync(cut, opus.subarray(0, opus.length - 700));
    await expectSameAsWhole(cut);
  });

  it('refuses audio longer than maxSeconds with TOO_LONG: a WAV from its header, before any decoding', async () => {
    const wavPath = join(SAMPLES, 'librilight-831-130739-0011.wav');
    const early = await AudioFileStream.open(wavPath, { maxSeconds: 4 }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(AudioFormatError);
    expect((early as AudioFormatError).code).toBe('TOO_LONG');
    expect((early as AudioFormatError).message).toMatch(/holds 4\.9 s of audio; the limit .* is 4 s/);
    // a compressed file says its length only as it decodes: refused once past the limit
    const late = await streamed(`${STEM}.opus`, 1000, 2).catch((e: unknown) => e);
    expect((late as AudioFormatError).code).toBe('TOO_LONG');
    // under the limit, nothing changes
    await expect(streamed(wavPath, undefined, 5)).resolves.toBeTruthy();
  });

  it('refuses bad files with the whole-file reader\'s codes', async () => {
    const dir = tempDir();
    const cases: [string, Uint8Array][] = [
      ['empty.wav', new Uint8Array(0)],
      ['short.wav', Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ')],
      ['noise.bin', Buffer.from('hello, this is not audio at all')],
      ['truncated.wav', readFileSync(join(SAMPLES, 'tts-espeak-fox.wav')).subarray(0, 5000)],
    ];
    for (const [name, bytes] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const whole = await readAudioFile(path).catch((e: unknown) => e as AudioFormatError);
      const piecewise = await streamed(path).catch((e: unknown) => e as AudioFormatError);
      expect(whole).toBeInstanceOf(AudioFormatError);
      expect((piecewise as AudioFormatError).code, name).toBe((whole as AudioFormatError).code);
    }
  });
});
