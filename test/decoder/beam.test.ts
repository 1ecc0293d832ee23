import { describe, expect, it } from 'vitest';
import { BeamSearchDecoder, type BeamSearchOptions, type BeamSearchResult } from '../../src/decoder/beam.js';
import { nthLargest } from '../../src/util/nth-largest.js';
import { wordConfidence } from '../../src/decoder/word-confidence.js';
import { greedyDecode } from '../../src/decoder/greedy.js';
import { parseArpa } from '../../src/lm/arpa.js';
import { buildArpa } from '../../src/lm/build.js';
import { GRAMMAR_SEARCH } from '../../src/decoder/grammar.js';
import { checkRecognizerOption, RECOGNIZER_OPTION_RULES, type CheckedRecognizerOption } from '../../src/recognizer/options-validation.js';
import { OptionsError } from '../../src/util/options-error.js';
import { concat, frame, LM_CORPUS, noisy, rng, spell, tokenOf, V } from './synth.js';

function decode(rows: Float32Array[], options: BeamSearchOptions = {}): BeamSearchResult {
  const d = new BeamSearchDecoder(options);
  d.acceptFrames(concat(rows), rows.length);
  return d.finalize();
}

const lm = parseArpa(buildArpa(LM_CORPUS, { order: 3 }));

/** Frames for "prefix" + an ambiguous word + "suffix": 'thei?'/'the?e' mixtures. */
function ambiguous(prefix: string, favour: 'their' | 'there', suffix: string): Float32Array[] {
  const [p, q] = favour === 'their' ? [0.55, 0.45] : [0.45, 0.55];
  return [
    ...spell(prefix + 'the'),
    frame({ [tokenOf('i')]: p, [tokenOf('r')]: q }),
    frame({ 0: 0.9995 }),
    frame({ [tokenOf('r')]: p, [tokenOf('e')]: q }),
    frame({ 0: 0.9995 }),
    ...spell(suffix),
  ];
}

describe('BeamSearchDecoder without LM', () => {
  it('matches greedy decoding on peaked posteriors', () => {
    const r = rng(7);
    const words = ['hello', 'world', 'speech', 'book', 'letter', "don't", 'a', 'aardvark', 'coffee', 'see'];
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(r() * 6);
      const text = Array.from({ length: n }, () => words[Math.floor(r() * words.length)]!).join(' ');
      const rows = spell(text, { peak: 0.8 + 0.19 * r(), gap: 1 + Math.floor(r() * 3), blankPeak: r() < 0.5 ? 0.9995 : 0.9 });
      const g = greedyDecode(concat(rows), rows.length);
      const b = decode(rows);
      expect(b.text).toBe(text);
      expect(b.text).toBe(g.text);
      expect(b.tokens).toEqual(g.tokens);
      expect(b.tokenFrames).toEqual(g.frames);
    }
  });

  it('returns word timings in frames, monotonic, with confidences', () => {
    const rows = spell('good day', { gap: 2 });
    const r = decode(rows);
    expect(r.words.map((w) => w.word)).toEqual(['good', 'day']);
    // Each character takes 3 frames: g=0 o=3 o=6 d=9, space=12, d=15 a=18 y=21.
    expect(r.words[0]).toMatchObject({ start: 0, end: 10 });
    expect(r.words[1]).toMatchObject({ start: 15, end: 22 });
    for (const w of r.words) {
      expect(w.conf).toBeGreaterThan(0.9);
      expect(w.conf).toBeLessThanOrEqual(1);
    }
  });

  it('reports alternatives and a lower confidence for an ambiguous word', () => {
    const r = decode(ambiguous('over ', 'their', ' now'));
    expect(r.text).toBe('over their now');
    expect(r.alternatives.map((a) => a.text)).toContain('over there now');
    expect(r.alternatives.every((a) => a.score <= r.score)).toBe(true);
    const amb = r.words[1]!;
    expect(amb.conf).toBeLessThan(r.words[0]!.conf);
  });

  it('handles empty input, all-blank input and reset', () => {
    const d = new BeamSearchDecoder();
    expect(d.finalize().text).toBe('');
    d.acceptFrames(concat([frame({ 0: 0.9999 }), frame({ 0: 0.9 })]), 2);
    expect(d.partial()).toBe('');
    expect(d.finalize()).toMatchObject({ text: '', words: [], tokens: [] });
    const rows = spell('abc');
    d.acceptFrames(concat(rows), rows.length);
    expect(d.partial()).toBe('abc');
    d.reset();
    expect(d.framesDecoded).toBe(0);
    expect(d.partial()).toBe('');
    expect(() => d.acceptFrames(new Float32Array(V), 2)).toThrow(RangeError);
  });
});

describe('BeamSearchDecoder word evidence and confidence', () => {
  it('records what the confidence of each word rests on', () => {
    const r = decode(ambiguous('they lost ', 'there', ' keys'), { lm });
    expect(r.text).toBe('they lost their keys');
    // LM scores in context, from <s> on, as the search charged them
    const ids = ['<s>', ...r.words.map((w) => w.word)].map((w) => lm.wordId(w));
    r.words.forEach((w, i) => {
      expect(w.evidence.lmLog10).toBeCloseTo(lm.score(ids.slice(Math.max(0, i - 1), i + 1), ids[i + 1]!), 6);
      expect(w.evidence.chars).toBe(w.word.length);
      expect(w.conf).toBeCloseTo(Math.exp(w.evidence.meanLogProb), 12); // no calibration: the raw acoustic score
    });
    // the rival spelling keeps part of the beam's probability on the ambiguous word only
    const [they, lost, their, keys] = r.words.map((w) => w.evidence.beamPosterior);
    expect(their).toBeLessThan(0.999);
    expect(their).toBeGreaterThan(0.5);
    for (const p of [they, lost, keys]) expect(p).toBeGreaterThan(their!);
  });

  it('gives every word the utterance-level evidence: all characters heard, and how peaked the frames were', () => {
    const clear = decode(spell('they lost their keys', { peak: 0.95 }), { lm });
    const muddy = decode(spell('they lost their keys', { peak: 0.6 }), { lm });
    expect(muddy.text).toBe(clear.text);
    for (const r of [clear, muddy]) {
      const chars = r.words.reduce((n, w) => n + w.evidence.chars, 0);
      const mean = r.words.reduce((s, w) => s + w.evidence.meanLogProb * w.evidence.chars, 0) / chars;
      for (const w of r.words) {
        expect(w.evidence.utteranceLogProb).toBeCloseTo(mean, 9);
        expect(w.evidence.framePeakLogProb).toBe(r.words[0]!.evidence.framePeakLogProb);
      }
    }
    // spelled characters (space included) on their own frames: the peak frames' mean log posterior
    expect(clear.words[0]!.evidence.framePeakLogProb).toBeCloseTo(Math.log(0.95), 5);
    expect(muddy.words[0]!.evidence.framePeakLogProb).toBeCloseTo(Math.log(0.6), 5);
    expect(muddy.words[0]!.evidence.utteranceLogProb).toBeLessThan(clear.words[0]!.evidence.utteranceLogProb);
    // a new utterance starts its frame statistics afresh
    const d = new BeamSearchDecoder({ lm });
    d.acceptFrames(concat(spell('they lost their keys', { peak: 0.6 })), spell('they lost their keys').length);
    d.reset();
    const rows = spell('they lost their keys', { peak: 0.95 });
    d.acceptFrames(concat(rows), rows.length);
    expect(d.finalize().words[0]!.evidence.framePeakLogProb).toBeCloseTo(Math.log(0.95), 5);
  });

  it('marks words the LM does not know and applies a calibration', () => {
    const calibration = { bias: -1, weights: { beamPosterior: 3, lmLog10: 0.5 } };
    const plain = decode(spell('they found zebras'), { lm, oovLog10: -1 });
    const calibrated = decode(spell('they found zebras'), { lm, oovLog10: -1, confidence: calibration });
    expect(calibrated.text).toBe('they found zebras');
    expect(calibrated.words[2]!.evidence.lmLog10).toBeNull();
    calibrated.words.forEach((w, i) => {
      expect(w.evidence).toEqual(plain.words[i]!.evidence);
      expect(w.conf).toBeCloseTo(wordConfidence(w.evidence, calibration), 12);
    });
    // a known word in context beats an unknown one under a calibration that trusts the LM
    expect(calibrated.words[2]!.conf).toBeLessThan(calibrated.words[1]!.conf);
  });
});

describe('BeamSearchDecoder with an n-gram LM', () => {
  it('lets context decide an acoustically ambiguous word', () => {
    // Acoustics lean the wrong way in both cases; the LM flips them.
    expect(decode(ambiguous('they lost ', 'there', ' keys'), { lm }).text).toBe('they lost their keys');
    expect(decode(ambiguous('put it over ', 'their', ''), { lm }).text).toBe('put it over there');
    // Without the LM the acoustically favoured spelling wins.
    expect(decode(ambiguous('they lost ', 'there', ' keys')).text).toBe('they lost there keys');
  });

  it('charges an unknown word as soon as it leaves the vocabulary, so run-together words split', () => {
    // A weak space between "lost" and "their": acoustically the words run together ("losttheir").
    const weakSpace = frame({ [tokenOf(' ')]: 0.05, 0: 0.95 });
    const head = [...spell('they lost'), weakSpace, ...spell('t')];
    const d = new BeamSearchDecoder({ lm, oovLog10: -10 });
    for (const row of head) d.acceptFrames(row, 1);
    // Mid-word, "lostt" can no longer become a known word: it has paid already, so the split leads now.
    expect(d.partial()).toBe('they lost t');
    const acoustic = new BeamSearchDecoder();
    for (const row of head) acoustic.acceptFrames(row, 1);
    expect(acoustic.partial()).toBe('they lostt');
    const rows = [...head, ...spell('heir keys')];
    expect(decode(rows, { lm, oovLog10: -10 }).text).toBe('they lost their keys');
  });

  it('scores the LM only at word ends (alpha = 0 reproduces acoustic-only ranking)', () => {
    const rows = ambiguous('they lost ', 'there', ' keys');
    expect(decode(rows, { lm, alpha: 0, beta: 0 }).text).toBe('they lost there keys');
  });
});

describe('hotwords', () => {
  const rows = [...spell('i met '), frame({ [tokenOf('c')]: 0.6, [tokenOf('k')]: 0.4 }), frame({ 0: 0.9995 }), ...spell('ate today')];

  it('flips a near miss to the hotword', () => {
    expect(decode(rows).text).toBe('i met cate today');
    expect(decode(rows, { hotwords: [{ phrase: 'Kate', boost: 3 }] }).text).toBe('i met kate today');
  });

  it('reaches a hotword missing from the LM vocabulary', () => {
    expect(lm.has('kate')).toBe(false);
    expect(decode(rows, { lm }).text).toBe('i met cate today');
    expect(decode(rows, { lm, hotwords: [{ phrase: 'kate', boost: 4 }] }).text).toBe('i met kate today');
  });

  it('takes back the partial boost of a failed match', () => {
    const plain = decode(rows);
    const biased = decode(rows, { hotwords: [{ phrase: 'katherine', boost: 8 }, { phrase: 'met cathy', boost: 8 }] });
    expect(biased.text).toBe(plain.text);
    expect(biased.score).toBeCloseTo(plain.score, 9);
  });

  it('boosts multi-word phrases and only whole words', () => {
    const r = decode(rows, { hotwords: [{ phrase: 'met kate', boost: 3 }] });
    expect(r.text).toBe('i met kate today');
    // "kat" is only a prefix of the word: no boost survives, acoustics decide.
    expect(decode(rows, { hotwords: [{ phrase: 'kat', boost: 3 }] }).text).toBe('i met cate today');
  });
});

describe('streaming', () => {
  const text = 'they lost their keys over there and i met cate today';
  const options: BeamSearchOptions = { lm, hotwords: [{ phrase: 'kate', boost: 3 }, { phrase: 'over there' }], beamWidth: 8 };

  function decodeSplit(all: Float32Array, frames: number, cuts: number[], opts: BeamSearchOptions): { r: BeamSearchResult; partial: string } {
    const d = new BeamSearchDecoder(opts);
    let start = 0;
    for (const end of [...cuts, frames]) {
      d.acceptFrames(all.subarray(start * V, end * V), end - start);
      start = end;
    }
    return { r: d.finalize(), partial: d.partial() };
  }

  it('gives identical results however the frames are split', () => {
    for (const seed of [1, 2, 3]) {
      const rows = noisy(text, seed);
      const all = concat(rows);
      const whole = decodeSplit(all, rows.length, [], options);
      const oneByOne = decodeSplit(all, rows.length, rows.map((_r, i) => i).slice(1), options);
      expect(oneByOne).toEqual(whole);
      const r = rng(seed * 31);
      for (let trial = 0; trial < 5; trial++) {
        const cuts = [...new Set(Array.from({ length: 1 + Math.floor(r() * 10) }, () => Math.floor(r() * rows.length)))].sort((a, b) => a - b);
        expect(decodeSplit(all, rows.length, cuts, options)).toEqual(whole);
      }
      // Zero-frame calls change nothing either.
      expect(decodeSplit(all, rows.length, [0, 0, 5, 5], options)).toEqual(whole);
    }
  });

  it('gives identical results when the prefix trie is compacted', () => {
    const rows = noisy(text, 5);
    const all = concat(rows);
    const normal = decodeSplit(all, rows.length, [], options);
    const compacted = decodeSplit(all, rows.length, [17, 40], { ...options, compactNodes: 32 });
    expect(compacted).toEqual(normal);
  });

  it('keeps its memory bounded on a long utterance (compaction on by default), with the same result', () => {
    const rows = Array.from({ length: 40 }, (_v, i) => noisy(text, 100 + i)).flat();
    const all = concat(rows);
    const bounded = new BeamSearchDecoder(options);
    bounded.acceptFrames(all, rows.length);
    const unbounded = new BeamSearchDecoder({ ...options, compactNodes: 1 << 30 });
    unbounded.acceptFrames(all, rows.length);
    expect(bounded.finalize()).toEqual(unbounded.finalize());
    // ~7,200 frames of noisy posteriors: 262,144 nodes (16 MB) without compaction, 16,384 with it.
    expect(unbounded.allocatedNodes).toBeGreaterThan(8 * bounded.allocatedNodes);
    expect(bounded.allocatedNodes).toBeLessThanOrEqual(1 << 14);
  });

  it.each([16, 128])('keeps timestamps monotonic, words apart and inside the audio (beam %i)', (beamWidth) => {
    for (const seed of [11, 12, 13, 14]) {
      const rows = noisy(text, seed);
      const { r } = decodeSplit(concat(rows), rows.length, [], { ...options, beamWidth });
      expect(r.text.length).toBeGreaterThan(0);
      for (let i = 1; i < r.tokenFrames.length; i++) expect(r.tokenFrames[i]!).toBeGreaterThanOrEqual(r.tokenFrames[i - 1]!);
      let prevEnd = 0;
      for (const w of r.words) {
        expect(w.start).toBeGreaterThanOrEqual(prevEnd);
        expect(w.end).toBeGreaterThan(w.start);
        expect(w.end).toBeLessThanOrEqual(rows.length);
        expect(w.conf).toBeGreaterThanOrEqual(0);
        expect(w.conf).toBeLessThanOrEqual(1);
        prevEnd = w.end;
      }
      expect(r.words.map((w) => w.word).join(' ')).toBe(r.text);
    }
  });

  it('decodes noisy speech close to the truth with the LM', () => {
    const rows = noisy(text, 21);
    const { r } = decodeSplit(concat(rows), rows.length, [], options);
    expect(r.text).toBe(text);
  });
});

describe('pruning shortcuts', () => {
  const text = 'they lost their keys over there and i met cate today';

  it('finds the k-th largest value like a sort does, duplicates included', () => {
    const r = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(r() * 300);
      // Few distinct values in half the trials, so ties are common.
      const values = Array.from({ length: n }, () => (trial % 2 ? Math.floor(r() * 5) : r() * 100 - 50));
      const sorted = [...values].sort((a, b) => b - a);
      const k = Math.floor(r() * n);
      expect(nthLargest(Float64Array.from(values), n, k)).toBe(sorted[k]);
    }
  });

  it('skipping hopeless prefixes changes no result, with an LM, narrow and wide beams, tight and loose thresholds', () => {
    for (const seed of [31, 32, 33, 34]) {
      const rows = noisy(text, seed);
      for (const beamWidth of [4, 16, 64]) {
        for (const beamThreshold of [6, 30]) {
          const options: BeamSearchOptions = { lm, alpha: 1.2, beta: 2.5, beamWidth, beamThreshold };
          const skipping = decode(rows, options);
          expect(decode(rows, { ...options, skipHopeless: false })).toEqual(skipping);
        }
      }
    }
  });
});

describe('BeamSearchDecoder options', () => {
  /** The error constructing a decoder with `options` throws. */
  function refusal(options: BeamSearchOptions): OptionsError {
    try {
      new BeamSearchDecoder(options);
    } catch (err) {
      expect(err).toBeInstanceOf(OptionsError);
      return err as OptionsError;
    }
    throw new Error(`${JSON.stringify(options)} was accepted`);
  }

  const notANumber = '16' as unknown as number;
  const BAD: Array<[keyof BeamSearchOptions, unknown[], RegExp]> = [
    ['beamWidth', [2.5, 0, -3, Number.NaN, Infinity, notANumber], /^beamWidth must be a positive integer, got /],
    ['beamThreshold', [0, -1, Number.NaN, Infinity], /^beamThreshold must be a positive number, got /],
    ['alpha', [Number.NaN, Infinity], /^alpha must be a finite number, got /],
    ['beta', [Number.NaN, -Infinity], /^beta must be a finite number, got /],
    ['oovLog10', [Number.NaN, 1], /^oovLog10 must be a log10 probability \(a number up to 0\), got /],
    ['topK', [0, 1.5, Number.NaN], /^topK must be a positive integer, got /],
    ['maxAlternatives', [-1, 1.5, Number.NaN], /^maxAlternatives must be a non-negative integer, got /],
    ['cumulativeProb', [0, -0.1, 1.01, Number.NaN], /^cumulativeProb must be a probability above 0 and up to 1, got /],
    ['blankSkipProb', [0, -1, Number.NaN], /^blankSkipProb must be a positive number \(above 1 turns the skip off\), got /],
    ['tokenLogProbFloor', [Number.NaN, 0.5], /^tokenLogProbFloor must be a natural-log probability \(a number up to 0\), got /],
    ['oovCharLog10', [Number.NaN, 1, -Infinity], /^oovCharLog10 must be a log10 cost per character \(a finite number up to 0\), got /],
    ['hotwordBoost', [0, -2, Number.NaN], /^hotwordBoost must be a positive number, got /],
    ['hotwordOovLog10', [Number.NaN, 0.1], /^hotwordOovLog10 must be a log10 probability \(a number up to 0\), got /],
    ['compactNodes', [0, 10.5, Number.NaN], /^compactNodes must be a positive integer, got /],
    ['blank', [-1, V, 0.5], new RegExp(`^blank must be a token id of the vocabulary \\(an integer from 0 to ${V - 1}\\), got `)],
  ];
  const cases = BAD.flatMap(([option, values, message]) => values.map((value) => ({ option, value, message })));

  it.each(cases)('refuses $option = $value with an OptionsError naming it', ({ option, value, message }) => {
    const err = refusal({ [option]: value });
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.option).toBe(option);
    expect(err.message).toMatch(message);
    expect(err.message.endsWith(`got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)).toBe(true);
  });

  it('refuses a hotword whose boost is not a positive number, or that is not {phrase, boost?}, naming which', () => {
    for (const boost of [0, -1, Number.NaN, Infinity]) {
      const err = refusal({ hotwords: [{ phrase: 'stella' }, { phrase: 'kate', boost }] });
      expect(err.option).toBe('hotwords[1].boost');
      expect(err.message).toBe(`hotwords[1].boost must be a positive number, got ${String(boost)}`);
    }
    expect(refusal({ hotwords: [42 as unknown as { phrase: string }] }).option).toBe('hotwords[0]');
    expect(refusal({ hotwords: 'stella' as unknown as [] }).option).toBe('hotwords');
    expect(() => new BeamSearchDecoder({ hotwords: [{ phrase: 'stella', boost: 0.5 }, { phrase: 'kate' }] })).not.toThrow();
  });

  // maxAlternatives aside: the recognizer also caps it (MAX_ALTERNATIVES, a limit on what one result carries), so
  // its rule, and message, say more than the decoder's non-negative integer.
  const shared = cases.filter((c) => c.option in RECOGNIZER_OPTION_RULES && c.option !== 'maxAlternatives');
  it('checks the options the recognizer shares with it', () => {
    expect(new Set(shared.map((c) => c.option))).toEqual(new Set(['beamWidth', 'beamThreshold', 'alpha', 'beta', 'oovLog10']));
  });

  it.each(shared)('refuses $option = $value with the recognizer\'s message', ({ option, value }) => {
    let recognizers: unknown;
    try {
      checkRecognizerOption(option as CheckedRecognizerOption, value);
    } catch (err) {
      recognizers = err;
    }
    expect(recognizers).toBeInstanceOf(OptionsError);
    expect(refusal({ [option]: value }).message).toBe((recognizers as OptionsError).message);
  });

  it('takes the edge values that mean something, and decodes with them', () => {
    const rows = spell('they lost their keys');
    const text = 'they lost their keys';
    expect(decode(rows, { beamWidth: 1 }).text).toBe(text);
    expect(decode(rows, { blankSkipProb: 2 }).text).toBe(text);
    expect(decode(rows, { lm, oovLog10: -Infinity, hotwordOovLog10: -Infinity }).text).toBe(text);
    expect(decode(rows, { topK: Number.MAX_SAFE_INTEGER, cumulativeProb: 1, tokenLogProbFloor: -Infinity }).text).toBe(text);
    expect(decode(rows, { lm, ...GRAMMAR_SEARCH }).text).toBe(text);
    const none = decode(ambiguous('over ', 'their', ' now'), { maxAlternatives: 0 });
    expect(none.text).toBe('over their now');
    expect(none.alternatives).toEqual([]);
    expect(decode(rows, { alpha: 0, beta: -1, lm, oovCharLog10: 0, hotwordBoost: 0.5, compactNodes: 1, blank: 0 }).text).toBe(text);
  });

  it('keeps the defaults for options given as undefined', () => {
    const rows = noisy('they lost their keys over there', 3);
    const unset: BeamSearchOptions = { lm, beamWidth: undefined, topK: undefined, beamThreshold: undefined, alpha: undefined, beta: undefined, oovLog10: undefined, maxAlternatives: undefined, blankSkipProb: undefined };
    expect(decode(rows, unset)).toEqual(decode(rows, { lm }));
  });
});
