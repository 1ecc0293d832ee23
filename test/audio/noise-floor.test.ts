import { describe, expect, it } from 'vitest';
import { NOISE_FLOOR_BLOCK, NoiseFloor, quietNoise, withEndPadding } from '../../src/audio/index.js';
import { randomSplits, rms, rng, sine } from '../helpers.js';

describe('NoiseFloor', () => {
  it('is the RMS of the quietest whole 20 ms block', () => {
    const x = sine(440, 16000, 1, 0.5);
    // one block-aligned stretch at a hundredth of the level, and a quieter one that straddles two blocks
    const quiet = 10 * NOISE_FLOOR_BLOCK;
    for (let i = quiet; i < quiet + NOISE_FLOOR_BLOCK; i++) x[i]! *= 0.01;
    for (let i = 20 * NOISE_FLOOR_BLOCK + 160; i < 21 * NOISE_FLOOR_BLOCK + 160; i++) x[i]! *= 0.001;
    const floor = new NoiseFloor();
    floor.push(x);
    expect(floor.rms()).toBeCloseTo(rms(x, quiet, quiet + NOISE_FLOOR_BLOCK), 9);
  });

  it('does not depend on how the stream is cut into packets', () => {
    const random = rng(7);
    const x = Float32Array.from({ length: 48000 }, (_, i) => (random() - 0.5) * (0.05 + Math.abs(Math.sin(i / 3000))));
    const whole = new NoiseFloor();
    whole.push(x);
    for (let seed = 1; seed <= 5; seed++) {
      const cut = new NoiseFloor();
      let from = 0;
      for (const to of randomSplits(x.length, rng(seed))) {
        cut.push(x.subarray(from, to));
        from = to;
      }
      expect(cut.rms()).toBe(whole.rms());
    }
  });

  it('is 0 before a block completes, and after reset', () => {
    const floor = new NoiseFloor();
    floor.push(new Float32Array(NOISE_FLOOR_BLOCK - 1).fill(0.5));
    expect(floor.rms()).toBe(0);
    floor.push(new Float32Array(1).fill(0.5));
    expect(floor.rms()).toBeCloseTo(0.5, 9);
    floor.reset();
    expect(floor.rms()).toBe(0);
  });
});

describe('quietNoise and withEndPadding', () => {
  it('makes the same noise every time, at the RMS asked for', () => {
    const a = quietNoise(16000, 0.01);
    expect(a).toEqual(quietNoise(16000, 0.01));
    expect(rms(a)).toBeGreaterThan(0.0098);
    expect(rms(a)).toBeLessThan(0.0102);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.01 * Math.sqrt(3));
    expect(quietNoise(100, 0).every((v) => v === 0)).toBe(true);
  });

  it('appends noise at the utterance\'s own floor and keeps the utterance as it was', () => {
    const x = sine(300, 16000, 0.5, 0.3);
    for (let i = 0; i < 1600; i++) x[i]! *= 0.02;
    const padded = withEndPadding(x, 0.3);
    expect(padded.length).toBe(x.length + 4800);
    expect(padded.subarray(0, x.length)).toEqual(x);
    const floor = new NoiseFloor();
    floor.push(x);
    expect(rms(padded, x.length)).toBeCloseTo(floor.rms(), 3);
    expect(withEndPadding(x, 0)).toBe(x);
  });
});
