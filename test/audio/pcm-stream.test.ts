import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioFormatError, PcmStreamDecoder, prepareAudio } from '../../src/audio/index.js';
import { SAMPLES, concatFloat32, randomSplits, rng } from '../helpers.js';

describe('PcmStreamDecoder', () => {
  it('s16le packets with odd byte counts give exactly the WAV decoder\'s samples', async () => {
    const bytes = readFileSync(join(SAMPLES, 'librilight-831-130739-0011.wav'));
    const pcm = bytes.subarray(44);
    const decoder = await PcmStreamDecoder.create({ encoding: 's16le', sampleRate: 16000 });
    const random = rng(3);
    const parts: Float32Array[] = [];
    let from = 0;
    for (const to of randomSplits(pcm.length, random, 5001)) {
      parts.push(decoder.push(pcm.subarray(from, to)));
      from = to;
    }
    parts.push(decoder.flush());
    const viaWav = await prepareAudio(bytes);
    expect(Buffer.from(concatFloat32(parts).buffer).equals(Buffer.from(viaWav.samples.buffer))).toBe(true);
  });

  it('resamples 8 kHz float32 stereo and is split-invariant', async () => {
    const frames = 8000;
    const bytes = new Uint8Array(frames * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < frames; i++) {
      view.setFloat32(i * 8, Math.sin(i * 0.2) * 0.5, true);
      view.setFloat32(i * 8 + 4, Math.sin(i * 0.2) * 0.3, true);
    }
    const run = async (splits: number[]): Promise<Float32Array> => {
      const decoder = await PcmStreamDecoder.create({ encoding: 'f32le', sampleRate: 8000, channels: 2 });
      const parts: Float32Array[] = [];
      let from = 0;
      for (const to of splits) { parts.push(decoder.push(bytes.subarray(from, to))); from = to; }
      parts.push(decoder.flush());
      return concatFloat32(parts);
    };
    const whole = await run([bytes.length]);
    expect(whole.length).toBe(16000);
    const split = await run(randomSplits(bytes.length, rng(11), 999));
    expect(Buffer.from(split.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });

  it('keeps a dangling odd byte until the next packet', async () => {
    const decoder = await PcmStreamDecoder.create({ encoding: 's16le', sampleRate: 16000 });
    expect(decoder.push(new Uint8Array([0x00])).length).toBe(0);
    expect(decoder.pendingBytes).toBe(1);
    const out = decoder.push(new Uint8Array([0x40, 0x00]));
    expect(out.length).toBe(1);
    expect(out[0]).toBeCloseTo(0x4000 / 32767, 6);
    expect(decoder.pendingBytes).toBe(1);
  });

  it('refuses bad stream settings with typed errors', async () => {
    await expect(PcmStreamDecoder.create({ encoding: 's16le', sampleRate: 0 })).rejects.toBeInstanceOf(AudioFormatError);
    await expect(PcmStreamDecoder.create({ encoding: 's16le', sampleRate: 16000, channels: 0 })).rejects.toBeInstanceOf(AudioFormatError);
    // @ts-expect-error: an unknown encoding from untyped input (JSON config) must still be refused cleanly.
    await expect(PcmStreamDecoder.create({ encoding: 'mp3', sampleRate: 16000 })).rejects.toThrow(/s16le or f32le/);
  });
});
