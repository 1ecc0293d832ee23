import { describe, expect, it } from 'vitest';
import { parseArpa } from '../../src/lm/arpa.js';
import { CaseCounter, buildPunctuationModel, readUnits, unitTokens } from '../../src/punctuation/build.js';
import { evaluatePunctuation } from '../../src/punctuation/evaluate.js';
import { PunctuationModel } from '../../src/punctuation/model.js';
import { CaseTable, displayTokens } from '../../src/punctuation/truecase.js';
import { PauseCueError } from '../../src/punctuation/viterbi.js';
import { rng } from '../helpers.js';

// A small punctuated text, the same few patterns many times: enough for the builder and decoder to learn them.
const TEXT: string[] = [];
for (let i = 0; i < 60; i++) {
  TEXT.push(
    'The dog was tired, so it slept. Where did it sleep? It slept in London, by the river.',
    'I think the cat was hungry. The cat ate, and then it slept.',
    'Mister Smith went to London. Did he see the river? He did.',
  );
}

function smallModel(): PunctuationModel {
  const build = buildPunctuationModel(TEXT, { prune: [0] });
  return new PunctuationModel(parseArpa(build.arpa), CaseTable.parse(build.caseTable), {});
}

describe('punctuation model (built from a small text)', () => {
  it('groups sentences into units, holds every 20th out, and writes marks as LM tokens', () => {
    const units = [...readUnits(TEXT)];
    expect(units.slice(0, 3).map((u) => u.unit.length)).toEqual([1, 2, 3]);
    expect(units.map((u) => u.split).filter((s) => s === 'test').length).toBe(Math.floor(units.length / 20));
    expect(unitTokens(units[0]!.unit).join(' ')).toBe('the dog was tired <comma> so it slept <period>');
    const build = buildPunctuationModel(TEXT);
    expect(build.stats.units.train + build.stats.units.dev + build.stats.units.test).toBe(units.length);
  });

  it('restores the marks and case of the text it learned', () => {
    const model = smallModel();
    expect(model.punctuateText('the dog was tired so it slept where did it sleep')).toBe('The dog was tired, so it slept. Where did it sleep?');
    expect(model.punctuateText('mister smith went to london he did')).toBe('Mister Smith went to London. He did.');
    expect(model.punctuateText('i think the cat was hungry')).toBe('I think the cat was hungry.');
    expect(model.punctuateText('')).toBe('');
  });

  it('a partial leaves its last word without a mark; an utterance ends with a sentence mark', () => {
    const model = smallModel();
    expect(model.punctuateText('the dog was tired so it slept', false)).toBe('The dog was tired, so it slept');
    for (const text of ['the dog', 'river', 'so']) expect(model.punctuateText(text)).toMatch(/[.?]$/);
  });

  it('scores numerals as the words they are read as, and keeps them as written', () => {
    const model = smallModel();
    expect(model.punctuateText('1984 the dog was tired so it slept')).toBe('1984 the dog was tired, so it slept.');
    expect(model.punctuateText('the cat ate 21st')).toMatch(/^The cat ate,? 21st[.?]$/);
  });

  it('extending the trellis word by word gives what computing it at once does, whatever came before', () => {
    const model = smallModel();
    const vocab = 'the dog was tired so it slept where did sleep in london by river i think cat hungry ate and then 1984 zebra'.split(' ');
    const random = rng(7);
    const trellis = model.trellis();
    for (let k = 0; k < 200; k++) {
      const words = Array.from({ length: 1 + Math.floor(random() * 14) }, () => vocab[Math.floor(random() * vocab.length)]!);
      const final = random() < 0.5;
      expect(model.punctuate(words, final, trellis)).toEqual(model.punctuate(words, final));
    }
  });

  it('a long pause after a word brings a mark, and none at all keeps one out', () => {
    const model = smallModel();
    const pausesAfter = (words: string[], long: number[]): number[] => words.map((_w, i) => (long.includes(i) ? 0.8 : 0.05));
    // the words alone end a sentence after "did"; read without a break, they run on; with a break, the mark returns
    const did = 'he did see the river'.split(' ');
    expect(model.punctuate(did).join(' ')).toBe('He did. See the river.');
    expect(model.punctuate(did, true, model.trellis(), pausesAfter(did, [])).join(' ')).toBe('He did see the river.');
    expect(model.punctuate(did, true, model.trellis(), pausesAfter(did, [1])).join(' ')).toBe('He did. See the river.');
    // the words alone put no mark inside; a pause after "ate" splits the sentences there
    const ate = 'the dog ate the cat slept'.split(' ');
    expect(model.punctuate(ate).join(' ')).toBe('The dog ate the cat slept.');
    expect(model.punctuate(ate, true, model.trellis(), pausesAfter(ate, [2])).join(' ')).toBe('The dog ate. The cat slept.');
    // unknown pauses (NaN, or none given) weigh nothing
    expect(model.punctuate(did, true, model.trellis(), did.map(() => Number.NaN))).toEqual(model.punctuate(did));
    // without a cue the pauses are ignored
    const noCue = new PunctuationModel(model.lm, model.cases, {}, null);
    expect(noCue.punctuate(did, true, noCue.trellis(), pausesAfter(did, []))).toEqual(noCue.punctuate(did));
  });

  it('extends the trellis piecewise with pauses as at once, and redoes a word whose pause changed', () => {
    const model = smallModel();
    const vocab = 'the dog was tired so it slept where did sleep in london by river i think cat hungry ate and then'.split(' ');
    const random = rng(11);
    const trellis = model.trellis();
    for (let k = 0; k < 200; k++) {
      const words = Array.from({ length: 1 + Math.floor(random() * 14) }, () => vocab[Math.floor(random() * vocab.length)]!);
      const pauses = words.map(() => (random() < 0.2 ? Number.NaN : random() * random()));
      const final = random() < 0.5;
      expect(model.punctuate(words, final, trellis, pauses)).toEqual(model.punctuate(words, final, model.trellis(), pauses));
    }
    const words = 'the dog ate the cat slept'.split(' ');
    const pauses = words.map(() => 0.05);
    const ran = model.punctuate(words, true, trellis, pauses);
    pauses[2] = 0.8;
    expect(model.punctuate(words, true, trellis, pauses)).not.toEqual(ran);
    expect(model.punctuate(words, true, trellis, pauses)).toEqual(model.punctuate(words, true, model.trellis(), pauses));
  });

  it('refuses a malformed pause cue', () => {
    const { lm, cases } = smallModel();
    const ok = { comma: [0, 1], period: [0, 1], question: [0, 1] };
    expect(() => new PunctuationModel(lm, cases, {}, { edges: [0.3], log10Ratio: ok }).trellis()).not.toThrow();
    expect(() => new PunctuationModel(lm, cases, {}, { edges: [0.3, 0.2], log10Ratio: { comma: [0, 1, 2], period: [0, 1, 2], question: [0, 1, 2] } }).trellis()).toThrow(PauseCueError);
    expect(() => new PunctuationModel(lm, cases, {}, { edges: [0.3], log10Ratio: { ...ok, comma: [0] } }).trellis()).toThrow(/comma needs 2/);
    expect(() => new PunctuationModel(lm, cases, {}, { edges: [0.3], log10Ratio: { ...ok, period: [0, Number.NaN] } }).trellis()).toThrow(PauseCueError);
  });

  it('evaluates slot by slot: a perfect model scores 1, one without marks 0', () => {
    const model = smallModel();
    const units = [...readUnits(TEXT)].map((u) => u.unit);
    const good = evaluatePunctuation(model, units);
    expect(good.overall.f1).toBe(1);
    expect(good.caseAccuracy).toBe(1);
    const silent = new PunctuationModel(model.lm, model.cases, { comma: -99, period: -99, question: -99 });
    const bad = evaluatePunctuation(silent, units);
    expect(bad.overall.f1).toBe(0);
    expect(bad.sentenceBoundary.recall).toBe(0);
  });
});

describe('case for display', () => {
  it('capitalises sentence starts, "I" and its contractions, and words the table writes with capitals', () => {
    const cases = new CaseTable(['London', 'McDonald']);
    const shown = displayTokens(['i', "i'm", 'in', 'london', 'with', 'mcdonald', 'he', 'said', '1984'], [null, null, null, 'period', null, 'comma', null, null, 'question'], cases);
    expect(shown).toEqual(['I', "I'm", 'in', 'London.', 'With', 'McDonald,', 'he', 'said', '1984?']);
  });

  it('the table takes a form only when it is capitalised clearly more often than not, where case is free', () => {
    const counter = new CaseCounter();
    const unit = (words: string[], forms: string[], forced: boolean[] = words.map(() => false)) => [
      { words, marks: words.map((_, i) => (i === words.length - 1 ? ('period' as const) : null)), forms, capsForced: forced, joinsPrevious: false },
    ];
    for (let i = 0; i < 3; i++) counter.add(unit(['in', 'london', 'the', 'may'], ['in', 'London', 'the', 'may']));
    counter.add(unit(['may', 'london'], ['May', 'london']));
    counter.add(unit(['the', 'may'], ['The', 'May'], [true, false]));
    counter.add(unit(['rome'], ['Rome']));
    expect(counter.table()).toEqual(['London']); // may: 1 of 4; The: forced; Rome: seen once
    expect(counter.table({ minCount: 1 })).toEqual(['London', 'Rome']);
  });
});
