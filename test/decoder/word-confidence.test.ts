import { describe, expect, it } from 'vitest';
import {
  checkCalibration, confidenceFeatures, fitCalibration, wordConfidence, type CalibrationSample, type WordEvidence,
} from '../../src/decoder/word-confidence.js';
import { rng } from './synth.js';

const evidence = (over: Partial<WordEvidence> = {}): WordEvidence => ({
  meanLogProb: -0.2, lmLog10: -2, beamPosterior: 1, chars: 4, utteranceLogProb: -0.3, framePeakLogProb: -0.4, ...over,
});

describe('wordConfidence', () => {
  it('is the raw acoustic score without a calibration', () => {
    expect(wordConfidence(evidence({ meanLogProb: Math.log(0.6) }), null)).toBeCloseTo(0.6, 12);
  });

  it('is the logistic function of the weighted features with one', () => {
    const e = evidence();
    const f = confidenceFeatures(e);
    const z = 0.5 + 2 * f.lmLog10 + 3 * f.beamPosterior;
    expect(wordConfidence(e, { bias: 0.5, weights: { lmLog10: 2, beamPosterior: 3 } })).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
  });

  it('gives a word the LM does not know the floor LM score, never -Infinity', () => {
    const f = confidenceFeatures(evidence({ lmLog10: null, meanLogProb: -Infinity }));
    expect(Number.isFinite(f.lmLog10)).toBe(true);
    expect(Number.isFinite(f.meanLogProb)).toBe(true);
    expect(f.lmLog10).toBeLessThan(confidenceFeatures(evidence({ lmLog10: -7 })).lmLog10);
  });
});

describe('fitCalibration', () => {
  it('recovers the coefficients of data drawn from a logistic model', () => {
    const random = rng(7);
    const truth = { bias: -1, lmLog10: 0.8, beamPosterior: 2.5 };
    const samples: CalibrationSample[] = [];
    for (let i = 0; i < 20000; i++) {
      const e = evidence({ lmLog10: -6 * random(), beamPosterior: random() });
      const z = truth.bias + truth.lmLog10 * e.lmLog10! + truth.beamPosterior * e.beamPosterior;
      samples.push({ evidence: e, correct: random() < 1 / (1 + Math.exp(-z)) });
    }
    const fit = fitCalibration(samples, ['lmLog10', 'beamPosterior'], 0);
    expect(fit.bias).toBeCloseTo(truth.bias, 0);
    expect(Math.abs(fit.weights.lmLog10! - truth.lmLog10)).toBeLessThan(0.1);
    expect(Math.abs(fit.weights.beamPosterior! - truth.beamPosterior)).toBeLessThan(0.25);
  });

  it('stays finite when one feature separates right from wrong', () => {
    const samples = [0, 1, 2, 3].map((k): CalibrationSample => ({ evidence: evidence({ beamPosterior: k / 3 }), correct: k >= 2 }));
    const fit = fitCalibration(samples, ['beamPosterior']);
    expect(Number.isFinite(fit.bias) && Number.isFinite(fit.weights.beamPosterior!)).toBe(true);
    expect(fit.weights.beamPosterior).toBeGreaterThan(0);
  });

  it('needs samples', () => {
    expect(() => fitCalibration([])).toThrow(RangeError);
  });
});

describe('checkCalibration', () => {
  it('accepts a calibration with extra bookkeeping fields and keeps only what it uses', () => {
    expect(checkCalibration({ bias: 1, weights: { lmLog10: 0.5 }, fittedOn: ['x'] }, 'c')).toEqual({ bias: 1, weights: { lmLog10: 0.5 } });
  });

  it('names the bad field', () => {
    expect(() => checkCalibration(null, 'c')).toThrow(/c: a confidence calibration must be an object/);
    expect(() => checkCalibration({ bias: 'x', weights: {} }, 'c')).toThrow(/c\.bias must be a finite number/);
    expect(() => checkCalibration({ bias: 0 }, 'c')).toThrow(/c\.weights must be an object/);
    expect(() => checkCalibration({ bias: 0, weights: { loudness: 1 } }, 'c')).toThrow(/c\.weights\.loudness: unknown feature/);
    expect(() => checkCalibration({ bias: 0, weights: { lmLog10: Infinity } }, 'c')).toThrow(/c\.weights\.lmLog10 must be a finite number/);
  });
});
