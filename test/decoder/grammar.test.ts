import { describe, expect, it } from 'vitest';
import { BeamSearchDecoder, type BeamSearchOptions } from '../../src/decoder/beam.js';
import {
  GRAMMAR_SEARCH,
  GrammarError,
  MAX_GRAMMAR_PHRASES,
  MAX_GRAMMAR_PHRASE_CHARS,
  UNKNOWN_WORD,
  GrammarView,
  compileGrammar,
  normalizeGrammar,
} from '../../src/decoder/grammar.js';
import { concat, frame, spell, tokenOf } from './synth.js';

function decode(rows: Float32Array[], options: BeamSearchOptions): string {
  const d = new BeamSearchDecoder(options);
  d.acceptFrames(concat(rows), rows.length);
  return d.finalize().text;
}

describe('normalizeGrammar', () => {
  it('normalises phrases like the WER scorer, drops duplicates and recognises [unk] in any case', () => {
    const spec = normalizeGrammar(['Turn ON light 2!', 'turn on light two', '  [UNK] ', "Don't stop"]);
    expect(spec).toEqual({ phrases: ['turn on light two', "don't stop"], allowUnknown: true });
    expect(normalizeGrammar(['yes', 'no']).allowUnknown).toBe(false);
  });

  it.each([
    ['not an array', 'yes', /array of phrases/],
    ['a number among the phrases', ['yes', 3], /phrase 1 must be a string/],
    ['an empty phrase', ['yes', ''], /phrase 1 .* no speakable words/],
    ['a phrase of punctuation only', ['?!'], /phrase 0 .* no speakable words/],
    ['only [unk]', ['[unk]'], /at least one phrase besides \[unk\]/],
    ['an empty list', [], /at least one phrase/],
    ['too many phrases', Array(MAX_GRAMMAR_PHRASES + 1).fill('yes'), /at most 10000 phrases/],
    ['a phrase too long', ['a'.repeat(MAX_GRAMMAR_PHRASE_CHARS + 1)], /longer than 1000 characters/],
  ])('rejects %s with a GrammarError', (_name, input, message) => {
    expect(() => normalizeGrammar(input)).toThrow(GrammarError);
    expect(() => normalizeGrammar(input)).toThrow(message);
  });
});

describe('compileGrammar', () => {
  it("has exactly the phrases' words as vocabulary and prefers the phrases' word order", () => {
    const g = compileGrammar(['turn on the light', 'turn off the light', 'stop']);
    expect([...g.words].sort()).toEqual(['light', 'off', 'on', 'stop', 'the', 'turn']);
    expect(g.lm.words.filter((w) => !w.startsWith('<')).sort()).toEqual([...g.words].sort());
    const id = (w: string) => g.lm.wordId(w);
    const scoreAfter = (prev: string, w: string) => g.lm.score(Int32Array.of(id(prev)), id(w));
    expect(scoreAfter('turn', 'on')).toBeGreaterThan(scoreAfter('turn', 'light'));
    expect(scoreAfter('the', 'light')).toBeGreaterThan(scoreAfter('the', 'stop'));
  });

  it('returns the same compiled grammar for the same phrase list (streams share it)', () => {
    const a = compileGrammar(['yes', 'no', '[unk]']);
    expect(compileGrammar(['Yes', 'no', '[unk]'])).toBe(a);
    expect(compileGrammar(['yes', 'no'])).not.toBe(a);
  });

  it('shows words outside the grammar (and outside the extra allowed set) as [unk], and partials without unfinished words', () => {
    const view = new GrammarView(compileGrammar(['call bob', '[unk]']), new Set(['now']));
    expect(view.result('call stella now')).toBe(`call ${UNKNOWN_WORD} now`);
    expect(view.result('')).toBe('');
    expect(view.partial('call stella bo')).toBe(`call ${UNKNOWN_WORD}`);
    expect(view.partial('call stella bob')).toBe(`call ${UNKNOWN_WORD} bob`);
    expect(view.partial('ca')).toBe('');
    const strict = new GrammarView(compileGrammar(['call bob']), new Set());
    expect(strict.result('call stella')).toBe('call stella'); // without [unk] the decoder cannot produce it anyway
  });
});

describe('beam search with a grammar', () => {
  const grammar = compileGrammar(['call bob', 'call rob', 'stop']);
  const base: BeamSearchOptions = { lm: grammar.lm, alpha: 0.6, beta: 2, oovLog10: -Infinity };

  it('only ever outputs grammar words, even when the acoustics spell another word', () => {
    expect(decode(spell('call bob'), { lm: null })).toBe('call bob');
    expect(decode(spell('call bob'), base)).toBe('call bob');
    // "cab" is spelled clearly but is not a grammar word: without a grammar it wins, with one it cannot.
    expect(decode(spell('call cab'), { lm: null })).toBe('call cab');
    const out = decode(spell('call cab'), base);
    for (const w of out.split(' ').filter(Boolean)) expect(grammar.words.has(w)).toBe(true);
  });

  it('settles an ambiguous word on the grammar word closest to the acoustics', () => {
    // b / r confusable on the first letter of the second word; the grammar has both "bob" and "rob"
    const rows = [...spell('call '), frame({ [tokenOf('r')]: 0.55, [tokenOf('b')]: 0.4 }), frame({ 0: 0.9995 }), ...spell('ob')];
    expect(decode(rows, base)).toBe('call rob');
  });

  it('finds the grammar phrase when a confident model heard a near miss (GRAMMAR_SEARCH)', () => {
    // "all bob" so sure that the "c" of "call" is below the dictation search's token floor on every frame
    const rows = spell('all bob', { peak: 0.99995 });
    expect(decode(rows, base)).not.toMatch(/call/); // the dictation search's pruning loses the word
    expect(decode(rows, { ...base, ...GRAMMAR_SEARCH })).toBe('call bob');
  });

  it('stays restricted with alpha 0 (a forbidden word never becomes free)', () => {
    const out = decode(spell('call cab'), { ...base, alpha: 0 });
    expect(out).not.toMatch(/cab/);
    expect(Number.isNaN(new BeamSearchDecoder({ ...base, alpha: 0 }).finalize().score)).toBe(false);
  });

  it('charges unknown words per character when asked, so one unknown word cannot swallow known ones', () => {
    const g = compileGrammar(['four', 'one', '[unk]']);
    // "four" and "one" with only a faint space between them: one long unknown word, or two grammar words
    const rows = [...spell('four', { gap: 0 }), frame({ 0: 0.97, [tokenOf(' ')]: 0.002 }), ...spell('one')];
    const once = decode(rows, { lm: g.lm, alpha: 0.6, beta: 2, oovLog10: -3 });
    const perChar = decode(rows, { lm: g.lm, alpha: 0.6, beta: 2, oovLog10: -3, oovCharLog10: -2 });
    expect(once).toBe('fourone');
    expect(perChar).toBe('four one');
  });
});
