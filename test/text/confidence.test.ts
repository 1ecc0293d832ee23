import { describe, expect, it } from 'vitest';
import { confidenceQuality, type ScoredWord } from '../../src/text/confidence.js';

const words = (pairs: Array<[number, boolean]>): ScoredWord[] => pairs.map(([conf, correct]) => ({ conf, correct }));

describe('confidenceQuality', () => {
  it('scores the best constant at NCE 0, perfect confidences near 1, misleading ones below 0', () => {
    const outcomes = [true, true, true, false];
    const constant = confidenceQuality(words(outcomes.map((c) => [0.75, c])));
    expect(constant.nce).toBeCloseTo(0, 10);
    expect(constant.auc).toBe(0.5);
    expect(constant.ece).toBeCloseTo(0, 10);
    const perfect = confidenceQuality(words(outcomes.map((c) => [c ? 1 : 0, c])));
    expect(perfect.nce).toBeGreaterThan(0.99);
    expect(perfect.auc).toBe(1);
    const reversed = confidenceQuality(words(outcomes.map((c) => [c ? 0.2 : 0.9, c])));
    expect(reversed.nce).toBeLessThan(0);
    expect(reversed.auc).toBe(0);
  });

  it('counts tied confidences as half in the AUC and bins the calibration error', () => {
    const q = confidenceQuality(words([[0.5, true], [0.5, false], [0.9, true], [0.1, false]]));
    // pairs (correct, wrong): (0.5, 0.5) tie = 0.5, (0.5, 0.1) = 1, (0.9, 0.5) = 1, (0.9, 0.1) = 1
    expect(q.auc).toBeCloseTo(3.5 / 4, 10);
    // bins: 0.1 → |0.1 − 0| ; 0.5 → |1.0 − 1| ; 0.9 → |0.9 − 1|
    expect(q.ece).toBeCloseTo((0.1 + 0 + 0.1) / 4, 10);
    expect(q.correctRate).toBe(0.5);
    expect(q.meanConf).toBeCloseTo(0.5, 10);
  });

  it('reports NaN where a measure is undefined instead of a number that misleads', () => {
    expect(confidenceQuality([]).words).toBe(0);
    expect(Number.isNaN(confidenceQuality([]).nce)).toBe(true);
    const allRight = confidenceQuality(words([[0.9, true], [0.8, true]]));
    expect(Number.isNaN(allRight.nce)).toBe(true);
    expect(Number.isNaN(allRight.auc)).toBe(true);
  });
});
