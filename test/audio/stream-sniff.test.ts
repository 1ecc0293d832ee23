import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioByteStream, AudioFormatError, readAudioFile } from '../../src/audio/index.js';
import { mpegFrameLength, sniffStream } from '../../src/audio/stream-sniff.js';
import { concatFloat32 } from '../../src/util/float32.js';
import { SAMPLES, randomSplits, rng } from '../helpers.js';

const STEM = join(SAMPLES, 'compressed', 'librilight-831-130739-0011');

async function pushAll(bytes: Uint8Array, seed: number): Promise<{ samples: Float32Array; stream: AudioByteStream }> {
  const stream = new AudioByteStream({ encoding: 's16le', sampleRate: 16000 });
  const parts: Float32Array[] = [];
  let from = 0;
  for (const to of [...randomSplits(bytes.length, rng(seed), 3000), bytes.length]) {
    parts.push(await stream.push(bytes.subarray(from, to)));
    from = to;
  }
  parts.push((await stream.end()).samples);
  return { samples: concatFloat32(parts), stream };
}

describe('compressed audio on a byte stream (hearken stream\'s stdin)', () => {
  it.each([
    ['flac', 'FLAC'],
    ['opus', 'Ogg Opus'],
    ['ogg', 'Ogg Vorbis'],
    ['mp3', 'MP3'], // this one has no ID3 tag: found by two consecutive frame headers
  ])('decodes .%s in random pieces to the samples of the whole file', async (ext, name) => {
    const path = `${STEM}.${ext}`;
    const whole = await readAudioFile(path);
    const { samples, stream } = await pushAll(new Uint8Array(readFileSync(path)), ext.length);
    expect(stream.description).toMatch(new RegExp(`^${name} \\d+ Hz \\d ch$`));
    expect(samples.length).toBe(whole.samples.length);
    let differing = 0;
    for (let i = 0; i < samples.length; i++) if (samples[i] !== whole.samples[i]) differing++;
    expect(differing).toBe(0);
  });

  it('takes raw samples that happen to open like an MPEG frame header for raw PCM', async () => {
    const raw = new Uint8Array(readFileSync(`${STEM}.mp3`).subarray(0, 4000));
    const frame = mpegFrameLength(raw)!;
    expect(frame).toBeGreaterThan(0);
    raw[frame] = 0x12; // no second header where the first frame ends
    expect(sniffStream(raw, false)).toBe('raw');
    const { samples, stream } = await pushAll(raw, 3);
    expect(stream.description).toMatch(/^raw s16le 16000 Hz/);
    expect(samples.length).toBe(raw.length / 2);
    // too short to hold the second header: wait for more, or raw once the input ended
    expect(sniffStream(raw.subarray(0, frame), false)).toBeNull();
    expect(sniffStream(raw.subarray(0, frame), true)).toBe('raw');
  });

  it('refuses MP4, WebM and AAC with what to run instead', async () => {
    const adtsFrame = [0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc, ...new Array<number>(9).fill(0)]; // 16-byte frames
    const inputs: [string, Uint8Array][] = [
      ['MP4', new Uint8Array([0, 0, 0, 0x20, ...Buffer.from('ftypM4A '), ...new Array<number>(40).fill(0)])],
      ['Matroska', new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...new Array<number>(40).fill(0)])],
      ['AAC', new Uint8Array([...adtsFrame, ...adtsFrame, ...adtsFrame])],
    ];
    for (const [name, bytes] of inputs) {
      const err = await pushAll(bytes, 1).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(AudioFormatError);
      expect((err as AudioFormatError).code).toBe('UNSUPPORTED_CODEC');
      expect((err as AudioFormatError).message).toMatch(new RegExp(`${name}.*ffmpeg -i INPUT -f wav - \\| hearken stream`));
    }
  });
});
