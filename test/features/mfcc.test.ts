import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readAudioFile } from '../../src/audio/index.js';
import {
  DEFAULT_FEATURE_CONFIG,
  FeatureConfigError,
  MfccExtractor,
  checkFeatureConfig,
  computeMfcc,
  diffFeatureConfig,
  frameCount,
} from '../../src/features/index.js';
import { meydaMfcc } from '../../src/features/mfcc.js';
import { SAMPLES, concatFloat32, randomSplits, rng } from '../helpers.js';

function streamed(samples: Float32Array, splits: number[]): Float32Array {
  const extractor = new MfccExtractor();
  const parts: Float32Array[] = [];
  let from = 0;
  for (const to of splits) {
    parts.push(extractor.push(samples.subarray(from, to)).data);
    from = to;
  }
  parts.push(extractor.flush().data);
  return concatFloat32(parts);
}

describe('MfccExtractor', () => {
  it('gives bit-identical frames for 20 random packetisations of real speech (incl. 1-sample packets)', async () => {
    const audio = await readAudioFile(join(SAMPLES, 'librilight-831-130739-0011.wav'));
    const batch = computeMfcc(audio.samples);
    expect(batch.frames).toBe(frameCount(audio.samples.length, DEFAULT_FEATURE_CONFIG));
    const random = rng(2024);
    for (let trial = 0; trial < 20; trial++) {
      const out = streamed(audio.samples, randomSplits(audio.samples.length, random, trial % 2 ? 300 : 7000));
      expect(out.length).toBe(batch.data.length);
      expect(Buffer.from(out.buffer).equals(Buffer.from(batch.data.buffer))).toBe(true);
    }
  });

  it('equals meyda\'s own mfcc bit for bit on every frame of real and synthetic speech', async () => {
    for (const file of ['librilight-831-130739-0004.wav', 'tts-flite-stella.wav']) {
      const audio = await readAudioFile(join(SAMPLES, file));
      const { data, frames, dim } = computeMfcc(audio.samples);
      const frame = new Float32Array(512);
      let mismatches = 0;
      for (let f = 0; f < frames; f++) {
        frame.fill(0);
        const chunk = audio.samples.subarray(f * 160, f * 160 + 512);
        for (let i = 0; i < chunk.length; i++) frame[i] = chunk[i]! * DEFAULT_FEATURE_CONFIG.inputScale;
        const reference = meydaMfcc(frame, DEFAULT_FEATURE_CONFIG);
        for (let k = 0; k < dim; k++) if (Math.fround(reference[k]!) !== data[f * dim + k]) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
  });

  it('emits frames as soon as they are complete and pads only the tail', () => {
    const extractor = new MfccExtractor();
    expect(extractor.push(new Float32Array(511)).frames).toBe(0);
    expect(extractor.push(new Float32Array(1)).frames).toBe(1);
    expect(extractor.push(new Float32Array(160)).frames).toBe(1);
    expect(extractor.flush().frames).toBe(0);
    expect(extractor.frames).toBe(frameCount(672, DEFAULT_FEATURE_CONFIG));
  });

  it('handles empty and tiny inputs', () => {
    expect(computeMfcc(new Float32Array(0)).frames).toBe(0);
    const one = computeMfcc(new Float32Array([0.5]));
    expect(one.frames).toBe(1);
    expect(one.data.every(Number.isFinite)).toBe(true);
  });

  it('separates speech from silence in the energy coefficient', async () => {
    const audio = await readAudioFile(join(SAMPLES, 'tts-espeak-fox.wav'));
    const { data, frames, dim } = computeMfcc(audio.samples);
    const c0 = Array.from({ length: frames }, (_, f) => data[f * dim]!);
    const sorted = [...c0].sort((a, b) => a - b);
    // Loud frames carry far more log energy than the quietest ones.
    expect(sorted[Math.floor(frames * 0.9)]! - sorted[Math.floor(frames * 0.05)]!).toBeGreaterThan(50);
  });

  it('refuses a push after flush until reset', () => {
    const extractor = new MfccExtractor();
    extractor.flush();
    expect(() => extractor.push(new Float32Array(10))).toThrow(/reset/);
    extractor.reset();
    expect(extractor.push(new Float32Array(512)).frames).toBe(1);
  });
});

describe('FeatureConfig', () => {
  it('validates configs read from model cards', () => {
    expect(checkFeatureConfig({ ...DEFAULT_FEATURE_CONFIG })).toEqual(DEFAULT_FEATURE_CONFIG);
    expect(() => checkFeatureConfig(null)).toThrow(FeatureConfigError);
    expect(() => checkFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, frameLength: 400 })).toThrow(/power of two/);
    expect(() => checkFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, mfccCoefficients: 50 })).toThrow(/at most 40/);
    expect(() => checkFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, melBands: '40' })).toThrow(/melBands/);
    expect(() => checkFeatureConfig({ ...DEFAULT_FEATURE_CONFIG, window: 'hamming' })).toThrow(/window/);
  });

  it('lists differences between configs', () => {
    expect(diffFeatureConfig(DEFAULT_FEATURE_CONFIG, DEFAULT_FEATURE_CONFIG)).toEqual([]);
    expect(diffFeatureConfig(DEFAULT_FEATURE_CONFIG, { ...DEFAULT_FEATURE_CONFIG, melBands: 26 })).toEqual(['melBands: 40 vs 26']);
  });
});
