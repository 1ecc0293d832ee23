import { describe, expect, it } from 'vitest';
import { BeamSearchDecoder, type BeamSearchOptions } from '../../src/decoder/beam.js';
import { LexiconTrie } from '../../src/decoder/lexicon.js';
import { LmLookahead } from '../../src/decoder/lm-lookahead.js';
import { DEFAULT_VOCABULARY } from '../../src/decoder/vocabulary.js';
import { parseArpa } from '../../src/lm/arpa.js';
import { binaryLmBytes, parseBinaryLm } from '../../src/lm/binary.js';
import { buildArpa } from '../../src/lm/build.js';
import { concat, LM_CORPUS, noisy } from './synth.js';

const CORPUS = [...LM_CORPUS, 'the theory of the thermal theme', 'then they went home'];
const lm = parseArpa(buildArpa(CORPUS, { order: 3 }));
const tokens = new Map<string, number>();
DEFAULT_VOCABULARY.forEach((s, i) => {
  if (i !== 0 && s.length === 1) tokens.set(s, i);
});
const lexicon = new LexiconTrie(lm.words, tokens);

/** Every lexicon node with the ids of the words spelled at or below it (brute force over the word list). */
function subtrees(): Map<number, number[]> {
  const below = new Map<number, number[]>();
  for (let w = 0; w < lm.vocabSize; w++) {
    for (let node = lexicon.nodeOfWord(w); node >= 0; node = lexicon.parentOf(node)) {
      const list = below.get(node) ?? [];
      list.push(w);
      below.set(node, list);
    }
  }
  return below;
}

describe('LmLookahead', () => {
  const la = new LmLookahead(lm, lexicon);
  const below = subtrees();
  const id = (w: string): number => lm.wordId(w);
  const contexts: number[][] = [[], [id('their')], [id('over')], [id('over'), id('there')], [id('<s>'), id('the')], [id('is'), id('their')], [id('the'), id('the')]];

  it('gives the same bounds over a binary-loaded model, whose sorted tables it reads in place', () => {
    const binary = parseBinaryLm(binaryLmBytes(lm, { bits: 32 }));
    const fromBinary = new LmLookahead(binary, new LexiconTrie(binary.words, tokens));
    for (const context of contexts) {
      for (const node of below.keys()) expect(fromBinary.bound(context, node)).toBe(la.bound(context, node));
    }
  });

  it('bounds log10 P(w | context) from above for every word below a node, and is exact with no context', () => {
    for (const context of contexts) {
      for (const [node, words] of below) {
        const best = Math.max(...words.map((w) => lm.score(context, w)));
        const bound = la.bound(context, node);
        expect(bound).toBeGreaterThanOrEqual(best - 1e-5);
        if (context.length === 0) expect(bound).toBeCloseTo(best, 5);
      }
    }
  });

  it('is tight: in context the bound of a node equals its best word for most nodes', () => {
    let exact = 0;
    let total = 0;
    for (const context of contexts.filter((c) => c.length > 0)) {
      for (const [node, words] of below) {
        const best = Math.max(...words.map((w) => lm.score(context, w)));
        total++;
        if (Math.abs(la.bound(context, node) - best) < 1e-5) exact++;
      }
    }
    expect(exact / total).toBeGreaterThan(0.8);
  });

  it('never rises as a partial word grows', () => {
    for (const context of contexts) {
      for (const node of below.keys()) {
        const parent = lexicon.parentOf(node);
        if (parent >= 0) expect(la.bound(context, node)).toBeLessThanOrEqual(la.bound(context, parent) + 1e-6);
      }
    }
  });

  it('follows the context: "there" after "over" is priced above "there" with no context', () => {
    let node = LexiconTrie.ROOT;
    for (const c of 'ther') node = lexicon.child(node, tokens.get(c)!);
    expect(la.bound([id('over')], node)).toBeGreaterThan(la.bound([], node));
  });
});

describe('BeamSearchDecoder with lmLookahead', () => {
  const text = 'they lost their keys over there';
  function decode(options: BeamSearchOptions, seed: number) {
    const rows = noisy(text, seed);
    const d = new BeamSearchDecoder({ lm, alpha: 1.2, beta: 2.5, lmLookahead: true, ...options });
    d.acceptFrames(concat(rows), rows.length);
    return d.finalize();
  }

  it('decodes noisy speech to the text the LM knows', () => {
    for (const seed of [41, 42, 43]) expect(decode({ beamWidth: 64, beamThreshold: 30 }, seed).text).toBe(text);
  });

  it('gives the same final score to a hypothesis as decoding without the look-ahead', () => {
    // The look-ahead moves cost earlier in a word, never changes what a finished hypothesis scores.
    for (const seed of [41, 42]) {
      const wide = { beamWidth: 256, beamThreshold: 60 };
      const a = decode({ ...wide, lmLookahead: true }, seed);
      const b = decode({ ...wide, lmLookahead: false }, seed);
      expect(a.text).toBe(b.text);
      expect(a.score).toBeCloseTo(b.score, 4); // float32 LM tables: the two sum in different orders
    }
  });

  it('skipping hopeless prefixes changes no result', () => {
    for (const seed of [31, 32, 33]) {
      for (const beamWidth of [4, 16, 64]) {
        for (const beamThreshold of [6, 30]) {
          const options = { beamWidth, beamThreshold };
          expect(decode({ ...options, skipHopeless: false }, seed)).toEqual(decode(options, seed));
        }
      }
    }
  });
});
