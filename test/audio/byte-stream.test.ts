import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioByteStream, AudioFormatError, parseWavLayout, prepareAudio } from '../../src/audio/index.js';
import { concatFloat32 } from '../../src/util/float32.js';
import { SAMPLES, randomSplits, rng } from '../helpers.js';

async function pushAll(bytes: Uint8Array, cuts: number[], raw = { encoding: 's16le' as const, sampleRate: 16000 }): Promise<{ samples: Float32Array; stream: AudioByteStream; danglingBytes: number }> {
  const stream = new AudioByteStream(raw);
  const parts: Float32Array[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    parts.push(await stream.push(bytes.subarray(from, to)));
    from = to;
  }
  const last = await stream.end();
  parts.push(last.samples);
  return { samples: concatFloat32(parts), stream, danglingBytes: last.danglingBytes };
}

/** The fixture with a LIST chunk before "data" and the data size a streaming writer leaves (0xffffffff). */
function streamedWav(file: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(SAMPLES, file)));
  const { dataOffset } = parseWavLayout(bytes);
  const list = new Uint8Array(8 + 10);
  list.set([...'LIST'].map((c) => c.charCodeAt(0)));
  new DataView(list.buffer).setUint32(4, 10, true);
  const out = new Uint8Array(bytes.length + list.length);
  out.set(bytes.subarray(0, dataOffset - 8));
  out.set(list, dataOffset - 8);
  out.set(bytes.subarray(dataOffset - 8), dataOffset - 8 + list.length);
  new DataView(out.buffer).setUint32(dataOffset - 8 + list.length + 4, 0xffffffff, true);
  return out;
}

describe('AudioByteStream', () => {
  it('reads a WAV stream (extra chunks, unknown data size) the same however its bytes are cut', async () => {
    const file = 'digit-8k-fsdd-7.wav';
    const expected = (await prepareAudio(readFileSync(join(SAMPLES, file)))).samples;
    const bytes = streamedWav(file);
    const whole = await pushAll(bytes, []);
    expect(whole.stream.description).toBe('WAV s16le 8000 Hz 1 ch');
    expect(whole.samples).toEqual(expected);
    for (const seed of [1, 2, 3]) {
      // single bytes through the header included
      const cuts = [1, 2, 3, 5, 20, 37, 44, 45, ...randomSplits(bytes.length, rng(seed), 500).filter((c) => c > 45)];
      expect((await pushAll(bytes, cuts.filter((c) => c < bytes.length))).samples).toEqual(expected);
    }
  });

  it('takes input without a RIFF header as raw PCM in the given format', async () => {
    const wav = new Uint8Array(readFileSync(join(SAMPLES, 'digit-8k-fsdd-7.wav')));
    const { dataOffset, dataBytes } = parseWavLayout(wav);
    const raw = wav.subarray(dataOffset, dataOffset + dataBytes);
    const { samples, stream } = await pushAll(raw, [1, 2, 333], { encoding: 's16le', sampleRate: 8000 });
    expect(stream.description).toBe('raw s16le 8000 Hz 1 ch');
    expect(samples).toEqual((await prepareAudio(wav)).samples);
  });

  it('keeps a raw input of under 4 bytes (too short to tell from a header) and reports a split sample', async () => {
    const two = await pushAll(Uint8Array.of(0, 64), []);
    expect(two.samples.length).toBe(1); // one 16 kHz sample, at its value
    expect(two.samples[0]).toBeCloseTo(0.5, 4);
    expect(two.danglingBytes).toBe(0);
    const three = await pushAll(Uint8Array.of(0, 64, 1), []);
    expect(three.samples.length).toBe(1);
    expect(three.danglingBytes).toBe(1);
  });

  it('refuses a stream that ends inside its WAV header, and WAV encodings it cannot stream', async () => {
    const bytes = streamedWav('digit-8k-fsdd-7.wav');
    await expect(pushAll(bytes.subarray(0, 30), [])).rejects.toThrow(/ended inside its WAV header/);
    const wav24 = new Uint8Array(bytes);
    const view = new DataView(wav24.buffer);
    view.setUint16(32, 3, true); // block align for 24-bit mono
    view.setUint16(34, 24, true);
    await expect(pushAll(wav24, [])).rejects.toThrow(AudioFormatError);
    await expect(pushAll(wav24, [])).rejects.toThrow(/16-bit PCM or 32-bit float, not 24-bit PCM/);
    const notWave = new Uint8Array(bytes);
    notWave.set([...'AVI '].map((c) => c.charCodeAt(0)), 8);
    await expect(pushAll(notWave, [])).rejects.toThrow(/not "WAVE"/);
  });
});
