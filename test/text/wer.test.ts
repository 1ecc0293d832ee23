import { describe, expect, it } from 'vitest';
import { align, computeWer, editCounts, hypothesisWordsCorrect, WerAccumulator } from '../../src/text/wer.js';

describe('editCounts', () => {
  it('counts substitutions, deletions and insertions', () => {
    expect(editCounts(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual({ substitutions: 1, deletions: 0, insertions: 0 });
    expect(editCounts(['a', 'b', 'c'], ['a', 'c'])).toEqual({ substitutions: 0, deletions: 1, insertions: 0 });
    expect(editCounts(['a', 'c'], ['a', 'b', 'c', 'd'])).toEqual({ substitutions: 0, deletions: 0, insertions: 2 });
    expect(editCounts([], ['a'])).toEqual({ substitutions: 0, deletions: 0, insertions: 1 });
    expect(editCounts(['a'], [])).toEqual({ substitutions: 0, deletions: 1, insertions: 0 });
  });
  it('total equals the Levenshtein distance', () => {
    const e = editCounts([...'kitten'], [...'sitting']);
    expect(e.substitutions + e.deletions + e.insertions).toBe(3);
  });
});

describe('align', () => {
  it('lists every step in order, with the indices it pairs', () => {
    expect(align(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toEqual([
      { op: 'match', ref: 0, hyp: 0 },
      { op: 'substitution', ref: 1, hyp: 1 },
      { op: 'match', ref: 2, hyp: 2 },
      { op: 'insertion', ref: -1, hyp: 3 },
    ]);
    expect(align(['a', 'b'], ['b'])).toEqual([
      { op: 'deletion', ref: 0, hyp: -1 },
      { op: 'match', ref: 1, hyp: 0 },
    ]);
    expect(align([], [])).toEqual([]);
  });
});

describe('hypothesisWordsCorrect', () => {
  it('flags each hypothesis word, normalising the reference only', () => {
    // the reference reads "the cat sat on two mats"
    expect(hypothesisWordsCorrect('The cat, sat on 2 mats.', ['the', 'bat', 'sat', 'two', 'mats', 'now'])).toEqual([
      true, false, true, true, true, false,
    ]);
    expect(hypothesisWordsCorrect('', ['a'])).toEqual([false]);
    expect(hypothesisWordsCorrect('a b', [])).toEqual([]);
  });
});

describe('WER / CER', () => {
  it('aggregates over the corpus and normalises both sides', () => {
    const r = computeWer([
      { reference: 'The cat sat.', hypothesis: 'the cat sat' },
      { reference: 'It cost $5', hypothesis: 'it cost five dollar' },
    ]);
    expect(r.refWords).toBe(3 + 4);
    expect(r.substitutions).toBe(1);
    expect(r.deletions + r.insertions).toBe(0);
    expect(r.wer).toBeCloseTo(1 / 7, 10);
    expect(r.refChars).toBe('the cat sat'.length + 'it cost five dollars'.length);
    expect(r.charEdits.deletions).toBe(1);
    expect(r.cer).toBeCloseTo(1 / r.refChars, 10);
    expect(r.utterances).toBe(2);
  });
  it('accumulates incrementally and handles empty references', () => {
    const acc = new WerAccumulator();
    expect(acc.add('', '')).toMatchObject({ refWords: 0, insertions: 0 });
    expect(acc.result().wer).toBe(0);
    acc.add('', 'noise');
    expect(acc.result().wer).toBe(Infinity);
    acc.add('one two', 'one two');
    expect(acc.result().wer).toBe(0.5);
  });
});
