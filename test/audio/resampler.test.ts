import { describe, expect, it } from 'vitest';
import { AudioFormatError, Resampler, resample } from '../../src/audio/index.js';
import { concatFloat32, randomSplits, rms, rng, sine } from '../helpers.js';

/** Amplitude of one frequency in a signal (single-bin DFT), robust to other content. */
function toneAmplitude(x: Float32Array, freq: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    const phase = (2 * Math.PI * freq * i) / rate;
    re += x[i]! * Math.cos(phase);
    im += x[i]! * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / x.length;
}

describe('Resampler', () => {
  for (const rate of [8000, 22050, 44100, 48000]) {
    it(`keeps a 1 kHz tone's frequency and level from ${rate} Hz`, async () => {
      const out = await resample(sine(1000, rate, 1, 0.5), rate, 16000);
      expect(out.length).toBe(16000);
      const body = out.subarray(800, 15200);
      expect(toneAmplitude(body, 1000, 16000)).toBeCloseTo(0.5, 2);
      expect(toneAmplitude(body, 1100, 16000)).toBeLessThan(0.01);
    });
  }

  // libsamplerate-js stops at 192 kHz; the rates the config check and WAV reader accept go up to 768 kHz.
  for (const rate of [192_001, 384_000, 705_600, 768_000]) {
    it(`resamples ${rate} Hz: the tone kept, one above the new Nyquist gone`, async () => {
      const input = sine(1000, rate, 1, 0.5).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 90_000 * i) / rate));
      const out = await resample(input, rate, 16000);
      expect(out.length).toBe(16000);
      const body = out.subarray(800, 15200);
      expect(toneAmplitude(body, 1000, 16000)).toBeCloseTo(0.5, 2);
      expect(toneAmplitude(body, 90_000 % 16_000, 16000)).toBeLessThan(0.001);
    });
  }

  it('suppresses a tone above the new Nyquist by at least 60 dB (no aliasing)', async () => {
    const input = sine(10_000, 44100, 1, 0.5);
    const out = await resample(input, 44100, 16000);
    const body = out.subarray(800, 15200);
    // 10 kHz would alias to 6 kHz at 16 kHz.
    const aliased = Math.max(toneAmplitude(body, 6000, 16000), rms(body) * Math.SQRT2);
    const db = 20 * Math.log10(aliased / 0.5);
    expect(db).toBeLessThan(-60);
  });

  it('gives bit-identical output however the input is cut', async () => {
    const random = rng(7);
    const input = new Float32Array(44100).map((_, i) => Math.sin(i * 0.03) * 0.3 + (random() - 0.5) * 0.1);
    const whole = await resample(input, 44100, 16000);
    const streaming = await Resampler.create(44100, 16000);
    const parts: Float32Array[] = [];
    let from = 0;
    for (const to of randomSplits(input.length, random, 3000)) {
      parts.push(streaming.push(input.subarray(from, to)));
      from = to;
    }
    parts.push(streaming.flush());
    const joined = concatFloat32(parts);
    expect(joined.length).toBe(whole.length);
    expect(Buffer.from(joined.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });

  it('refuses nonsense rates with a typed error', async () => {
    for (const rate of [0, -16000, 16000.5, Number.NaN, 1e9]) {
      await expect(Resampler.create(rate, 16000)).rejects.toBeInstanceOf(AudioFormatError);
    }
  });
});
