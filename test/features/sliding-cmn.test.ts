import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SlidingCmn, type SlidingCmnConfig } from '../../src/features/sliding-cmn.js';
import type { FeatureFrames } from '../../src/features/mfcc.js';
import { rng as mulberry32 } from '../../src/util/random.js';

function frames(rows: number[][]): FeatureFrames {
  return { data: Float32Array.from(rows.flat()), frames: rows.length, dim: rows[0]!.length };
}

describe('SlidingCmn', () => {
  it('applies the formula: window mean blended with the prior, shifted back to the prior mean', () => {
    const cmn = new SlidingCmn({ window: 2, priorFrames: 1, priorMean: [0] });
    const out = Array.from(cmn.apply(frames([[1], [3], [5]])).data);
    // t0: m = (1 + 0) / 2; t1: m = (1 + 3) / 3; t2: the window holds 3 and 5, m = 8 / 3
    expect(out[0]).toBeCloseTo(0.5, 6);
    expect(out[1]).toBeCloseTo(3 - 4 / 3, 6);
    expect(out[2]).toBeCloseTo(5 - 8 / 3, 6);
  });

  it('gives the same frames however they are cut into packets', () => {
    const config: SlidingCmnConfig = { window: 37, priorFrames: 11, priorMean: [2, -1, 0.5] };
    const rand = mulberry32(7);
    const all = Array.from({ length: 400 }, () => [rand() * 20 - 5, rand() * 3, rand() - 0.5]);
    const whole = new SlidingCmn(config).apply(frames(all)).data;
    const streamed: number[] = [];
    const cmn = new SlidingCmn(config);
    for (let i = 0; i < all.length;) {
      const n = 1 + Math.floor(rand() * 50);
      streamed.push(...cmn.apply(frames(all.slice(i, i + n))).data);
      i += n;
    }
    expect(Float32Array.from(streamed)).toEqual(whole);
  });

  it('removes a constant channel offset down to the prior\'s share', () => {
    const config: SlidingCmnConfig = { window: 100, priorFrames: 50, priorMean: [0, 0] };
    const rand = mulberry32(3);
    const clean = Array.from({ length: 600 }, () => [rand() * 10, rand() * 10]);
    const a = new SlidingCmn(config).apply(frames(clean)).data;
    const b = new SlidingCmn(config).apply(frames(clean.map(([x, y]) => [x! + 8, y! - 4]))).data;
    // once the window is full, offset o survives as o × priorFrames / (window + priorFrames)
    for (let t = 100; t < 600; t++) {
      expect(b[t * 2]! - a[t * 2]!).toBeCloseTo(8 * 50 / 150, 3);
      expect(b[t * 2 + 1]! - a[t * 2 + 1]!).toBeCloseTo(-4 * 50 / 150, 3);
    }
  });

  it('reset() starts a new stream', () => {
    const cmn = new SlidingCmn({ window: 5, priorFrames: 2, priorMean: [1] });
    const first = Array.from(cmn.apply(frames([[4], [6], [9]])).data);
    cmn.reset();
    expect(Array.from(cmn.apply(frames([[4], [6], [9]])).data)).toEqual(first);
  });

  it('agrees with the trainer (training/lcblstm/cmn.py) on a golden input', () => {
    // Regenerate (cd training/lcblstm): python3 -c "from cmn import normalise_frames" with the input below; see the fixture's note.
    const golden = JSON.parse(readFileSync(new URL('../fixtures/cmn-golden.json', import.meta.url), 'utf8')) as {
      config: SlidingCmnConfig; frames: number; rows: Record<string, number[]>;
    };
    const dim = golden.config.priorMean.length;
    const rows = Array.from({ length: golden.frames }, (_, t) =>
      Array.from({ length: dim }, (_, k) => Math.fround(Math.sin(t * 0.37 + k) * 10 + k * 3 + (t > 350 ? 5 : 0))));
    const out = new SlidingCmn(golden.config).apply(frames(rows)).data;
    for (const [t, expected] of Object.entries(golden.rows)) {
      for (let k = 0; k < dim; k++) expect(out[Number(t) * dim + k]).toBeCloseTo(expected[k]!, 4);
    }
  });
});
