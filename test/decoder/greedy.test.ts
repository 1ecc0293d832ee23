import { describe, expect, it } from 'vitest';
import { greedyDecode } from '../../src/decoder/greedy.js';
import { concat, frame, spell, tokenOf } from './synth.js';

describe('greedyDecode', () => {
  it('collapses repeats, drops blanks, keeps double letters separated by blank', () => {
    const a = tokenOf('a');
    const b = tokenOf('b');
    const rows = [frame({ [a]: 0.9 }), frame({ [a]: 0.9 }), frame({ 0: 0.9 }), frame({ [a]: 0.9 }), frame({ [b]: 0.9 })];
    const r = greedyDecode(concat(rows), rows.length);
    expect(r.text).toBe('aab');
    expect(r.tokens).toEqual([a, a, b]);
    expect(r.frames).toEqual([0, 3, 4]);
  });
  it('trims and collapses spaces in the text', () => {
    const rows = spell(' hi  there ');
    expect(greedyDecode(concat(rows), rows.length).text).toBe('hi there');
  });
  it('rejects short input', () => {
    expect(() => greedyDecode(new Float32Array(10), 2)).toThrow(RangeError);
  });
});
