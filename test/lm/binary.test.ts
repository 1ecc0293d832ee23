import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { arpaFileBytes, parseArpa } from '../../src/lm/arpa.js';
import { BINARY_LM_MAGIC, type BinaryLmBits, binaryLmBytes, isBinaryLm, parseBinaryLm } from '../../src/lm/binary.js';
import { buildArpa } from '../../src/lm/build.js';
import { ContextRanges } from '../../src/lm/context-ranges.js';
import { LmBinaryError } from '../../src/lm/errors.js';
import { loadLanguageModelFile } from '../../src/lm/load.js';
import type { NgramLM } from '../../src/lm/ngram-lm.js';
import { perplexity } from '../../src/lm/perplexity.js';
import { loadSharedLM, ngramLMFromShared } from '../../src/lm/shared.js';
import { hearken } from '../cli/run-cli.js';
import { rng } from '../helpers.js';

const WORDS = 'the cat dog sat on a mat log and met frog see did not where is my hat under bed it was red blue'.split(' ');

/** Sentences drawn from a small vocabulary: enough n-grams that quantisation must bin, few enough to build fast. */
function corpus(seed: number, sentences: number): string[] {
  const random = rng(seed);
  return Array.from({ length: sentences }, () =>
    Array.from({ length: 3 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() ** 1.5 * WORDS.length)]!).join(' '),
  );
}

const TRAIN = corpus(1, 400);
const HELD_OUT = corpus(2, 60).map((s) => s.split(' '));

function model(order: number): NgramLM {
  return parseArpa(buildArpa(TRAIN, { order }));
}

/** Scores of random (context, word) queries, unknown words (-1) and cut contexts included. */
function queries(lm: NgramLM, seed: number): number[] {
  const random = rng(seed);
  const pick = () => Math.floor(random() * (lm.vocabSize + 1)) - 1;
  return Array.from({ length: 2000 }, () => lm.score(Array.from({ length: Math.floor(random() * 5) }, pick), pick()));
}

function tmp(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'binary-lm-')), name);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('binary LM format', () => {
  it.each([1, 2, 3, 4])('stores an order-%i model exactly at 32 bits: same words, counts and scores', (order) => {
    const lm = model(order);
    const back = parseBinaryLm(binaryLmBytes(lm, { bits: 32 }));
    expect(back.words).toEqual(lm.words);
    expect(back.counts).toEqual(lm.counts);
    expect(queries(back, order)).toEqual(queries(lm, order));
    for (let n = 2; n <= order; n++) {
      // Every listed n-gram is found again, under its own word sequence.
      const t = lm.table(n);
      for (let e = 0; e < t.word.length; e += 7) {
        const ids: number[] = [t.word[e]!];
        let c = t.ctx[e]!;
        for (let k = n - 1; k >= 1; k--) {
          ids.unshift(lm.table(k).word[c]!);
          c = lm.table(k).ctx[c]!;
        }
        const found = back.find(ids);
        expect(found).toBeGreaterThanOrEqual(0);
        expect(back.table(n).prob[found]).toBe(t.prob[e]);
      }
    }
  });

  it.each([8, 16] as const)('quantises orders ≥ 2 to %i bits: unigrams exact, perplexity within one percent, a smaller file', (bits: BinaryLmBits) => {
    const lm = model(3);
    const bytes = binaryLmBytes(lm, { bits });
    const back = parseBinaryLm(bytes);
    expect(back.table(1).prob).toEqual(lm.table(1).prob);
    expect(back.table(1).backoff).toEqual(lm.table(1).backoff);
    // This model has more distinct trigram probabilities than 256 bins, so 8 bits must really quantise.
    const distinct = new Set(lm.table(3).prob).size;
    if (bits === 8) expect(distinct).toBeGreaterThan(256);
    const exact = perplexity(lm, HELD_OUT).perplexity;
    const approx = perplexity(back, HELD_OUT).perplexity;
    expect(Math.abs(approx / exact - 1)).toBeLessThan(0.01);
    const exactScores = queries(lm, 5);
    const err = queries(back, 5).map((v, i) => Math.abs(v - exactScores[i]!));
    expect(Math.max(...err)).toBeLessThan(bits === 16 ? 0.05 : 0.5);
    expect(bytes.length).toBeLessThan(binaryLmBytes(lm, { bits: 32 }).length);
    expect(bytes.length).toBeLessThan(arpaFileBytes('x.arpa.gz', buildArpa(TRAIN, { order: 3 })).length);
  });

  it('stores a table with no more distinct values than bins exactly, even at 8 bits', () => {
    const lm = parseArpa(buildArpa(['a b c', 'a b d', 'b c d'], { order: 3 }));
    expect(new Set(lm.table(3).prob).size).toBeLessThanOrEqual(256);
    expect(queries(parseBinaryLm(binaryLmBytes(lm, { bits: 8 })), 9)).toEqual(queries(lm, 9));
  });

  it('writes the same bytes for the same model (deterministic), and refuses other bit widths', () => {
    const lm = model(3);
    expect(binaryLmBytes(lm).equals(binaryLmBytes(model(3)))).toBe(true);
    expect(() => binaryLmBytes(lm, { bits: 12 as BinaryLmBits })).toThrow(/8, 16 or 32/);
  });

  it('leaves out n-grams whose prefix is not listed (unreachable under back-off), scoring as before', () => {
    const arpa = ['\\data\\', 'ngram 1=3', 'ngram 2=1', 'ngram 3=2', '', '\\1-grams:', '-1\t<s>\t-0.2', '-0.5\ta\t-0.1', '-0.6\tb\t-0.3', '',
      '\\2-grams:', '-0.2\ta b\t-0.1', '', '\\3-grams:', '-0.1\ta b a', '-0.3\tb a b', '', '\\end\\', ''].join('\n');
    const lm = parseArpa(arpa);
    const back = parseBinaryLm(binaryLmBytes(lm, { bits: 32 }));
    expect(back.counts).toEqual([3, 1, 1]);
    expect(queries(back, 3)).toEqual(queries(lm, 3));
  });

  it('is told from ARPA by its first bytes, whatever the file is called, and loads in a shared-memory thread', async () => {
    const lm = model(3);
    const binary = tmp('model.arpa.gz');
    writeFileSync(binary, binaryLmBytes(lm, { bits: 32 }));
    const arpa = tmp('model.hklm');
    writeFileSync(arpa, arpaFileBytes(arpa, buildArpa(TRAIN, { order: 3 })));
    expect(isBinaryLm(readFileSync(binary))).toBe(true);
    expect(isBinaryLm(readFileSync(arpa))).toBe(false);
    expect(queries(loadLanguageModelFile(binary), 4)).toEqual(queries(lm, 4));
    expect(queries(loadLanguageModelFile(arpa), 4)).toEqual(queries(lm, 4));
    expect(loadLanguageModelFile(binary).sourcePath).toBe(binary);
    const shared = ngramLMFromShared(await loadSharedLM(binary));
    expect(queries(shared, 6)).toEqual(queries(lm, 6));
    expect(shared.table(2).index).toBeInstanceOf(ContextRanges);
  });
});

describe('binary LM format: bad files', () => {
  const good = binaryLmBytes(model(3), { bits: 8 });
  const header = good.subarray(0, 12);

  /** A file whose compressed payload is `payload`. */
  const withPayload = (payload: Uint8Array): Buffer => Buffer.concat([header, gzipSync(payload)]);

  it.each([
    ['ARPA text', Buffer.from('\\data\\\nngram 1=1\n'), /not a binary LM file/],
    ['only the magic', Buffer.from(BINARY_LM_MAGIC), /truncated header/],
    ['another version', Buffer.concat([Buffer.from(BINARY_LM_MAGIC), Buffer.from([2, 0, 0, 0]), good.subarray(12)]), /version 2 is not supported/],
    ['a cut compressed stream', good.subarray(0, good.length - 20), /truncated or corrupt/],
    ['an empty payload', withPayload(new Uint8Array(0)), /truncated data: order/],
    ['order 0', withPayload(Uint8Array.from([0, 8])), /corrupt data: order 0/],
    ['12 bits', withPayload(Uint8Array.from([3, 12])), /corrupt data: 12 bits/],
    ['trailing bytes', withPayload(Buffer.concat([gunzipSync(good.subarray(12)), Buffer.from([0])])), /1 bytes after the last table/],
  ])('%s: LmBinaryError with code BAD_LM_BINARY and the file named', (_name, bytes, message) => {
    const err = thrown(() => parseBinaryLm(bytes, 'some.hklm'));
    expect(err).toBeInstanceOf(LmBinaryError);
    expect((err as LmBinaryError).code).toBe('BAD_LM_BINARY');
    expect((err as LmBinaryError).message).toMatch(message);
    expect((err as LmBinaryError).message).toContain('some.hklm');
  });

  it('a payload cut anywhere, or with any byte changed, is refused with LmBinaryError or read as a valid model', () => {
    const payload = gunzipSync(good.subarray(12));
    const random = rng(11);
    const outcomes = { refused: 0, read: 0 };
    const trials: Buffer[] = [];
    for (let i = 0; i < 150; i++) trials.push(withPayload(payload.subarray(0, Math.floor(random() * payload.length))));
    for (let i = 0; i < 150; i++) {
      const bad = Buffer.from(payload);
      bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      trials.push(withPayload(bad));
    }
    for (const bytes of trials) {
      try {
        const lm = parseBinaryLm(bytes);
        // Whatever was read must still be a model that answers queries.
        for (const v of queries(lm, 1).slice(0, 50)) expect(Number.isFinite(v)).toBe(true);
        outcomes.read++;
      } catch (e) {
        expect(e).toBeInstanceOf(LmBinaryError);
        outcomes.refused++;
      }
    }
    // Every cut is refused (a model's tables end exactly where the payload does).
    expect(outcomes.refused).toBeGreaterThanOrEqual(150);
  });

  it('a huge declared count is refused before anything that size is allocated', () => {
    const payload = Buffer.from(gunzipSync(good.subarray(12)));
    // order 3, bits 8, V, vocabulary bytes, the vocabulary, 2V float32s: then the 2-gram count.
    const V = payload.readUInt32LE(2);
    const at = 10 + payload.readUInt32LE(6) + 8 * V;
    payload.writeUInt32LE(0xffffffff, at);
    expect(() => parseBinaryLm(withPayload(payload))).toThrow(/4294967295 2-grams declared/);
  });
});

describe('ContextRanges', () => {
  it('finds (context, word) pairs of a sorted table and nothing else', () => {
    const ctx = Int32Array.from([0, 0, 2, 2, 2]);
    const word = Int32Array.from([1, 4, 0, 3, 9]);
    const r = ContextRanges.fromSorted(ctx, word, 3);
    expect([r.get(0, 1), r.get(0, 4), r.get(2, 0), r.get(2, 3), r.get(2, 9)]).toEqual([0, 1, 2, 3, 4]);
    expect([r.get(0, 0), r.get(1, 1), r.get(2, 5), r.get(3, 0), r.get(-1, 0)]).toEqual([-1, -1, -1, -1, -1]);
  });

  it('refuses a table out of (context, word) order or a context out of range', () => {
    expect(() => ContextRanges.fromSorted(Int32Array.from([0, 0]), Int32Array.from([3, 1]), 1)).toThrow(/out of \(context, word\) order/);
    expect(() => ContextRanges.fromSorted(Int32Array.from([1, 0]), Int32Array.from([0, 1]), 2)).toThrow(/out of \(context, word\) order/);
    expect(() => ContextRanges.fromSorted(Int32Array.from([0, 2]), Int32Array.from([0, 1]), 2)).toThrow(/context 2/);
  });
});

describe('hearken lm compile', () => {
  it('writes a binary model that scores as its ARPA source, which ppl and transcribe --lm then read', async () => {
    const arpa = tmp('small.arpa.gz');
    writeFileSync(arpa, arpaFileBytes(arpa, buildArpa(TRAIN, { order: 3 })));
    const out = join(arpa, '..', 'small.hklm');
    const r = await hearken(['lm', 'compile', arpa, '-o', out, '--bits', '32']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3-grams \d+, 32 bits/);
    expect(queries(loadLanguageModelFile(out), 12)).toEqual(queries(loadLanguageModelFile(arpa), 12));
    const ppl = await hearken(['lm', 'ppl', out, arpa]);
    expect(ppl.code).toBe(0);
    expect(ppl.stdout).toMatch(/perplexity [\d.]+ over/);
  }, 300_000);

  it('build and mix write the binary format when the output ends in .hklm, the same bytes compile writes', async () => {
    const text = tmp('train.txt');
    writeFileSync(text, `${TRAIN.join('\n')}\n`);
    const dir = join(text, '..');
    const built = await hearken(['lm', 'build', text, '-o', join(dir, 'a.arpa.gz'), '--order', '3']);
    expect(built.code).toBe(0);
    expect((await hearken(['lm', 'build', text, '-o', join(dir, 'a.hklm'), '--order', '3'])).code).toBe(0);
    expect((await hearken(['lm', 'compile', join(dir, 'a.arpa.gz'), '-o', join(dir, 'b.hklm')])).code).toBe(0);
    expect(isBinaryLm(readFileSync(join(dir, 'a.hklm')))).toBe(true);
    expect(readFileSync(join(dir, 'a.hklm')).equals(readFileSync(join(dir, 'b.hklm')))).toBe(true);
    const mixed = await hearken(['lm', 'mix', join(dir, 'a.hklm'), join(dir, 'a.arpa.gz'), '--weight', '0.5', '-o', join(dir, 'm.hklm'), '--bits', '32']);
    expect(mixed.code).toBe(0);
    // Mixing a model with itself gives it back: here one copy is a.hklm, quantised at 16 bits, so to within that.
    const m = loadLanguageModelFile(join(dir, 'm.hklm'));
    const a = loadLanguageModelFile(join(dir, 'a.arpa.gz'));
    const exact = queries(a, 13);
    const diff = queries(m, 13).map((v, i) => Math.abs(v - exact[i]!));
    expect(Math.max(...diff)).toBeLessThan(0.01);
    expect(Math.max(...diff)).toBeGreaterThan(0);
  }, 300_000);

  it('refuses a bit width it does not write, and a file that is neither format, with a clear message', async () => {
    const arpa = tmp('x.arpa');
    writeFileSync(arpa, buildArpa(TRAIN, { order: 2 }));
    const bits = await hearken(['lm', 'compile', arpa, '-o', `${arpa}.hklm`, '--bits', '12']);
    expect(bits.code).not.toBe(0);
    expect(bits.stderr).toMatch(/--bits.*expected 8, 16 or 32/);
    const broken = tmp('broken.hklm');
    writeFileSync(broken, Buffer.concat([Buffer.from(BINARY_LM_MAGIC), Buffer.from([1, 0, 0, 0]), Buffer.from('not gzip')]));
    const bad = await hearken(['lm', 'ppl', broken, arpa]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/broken\.hklm: compressed data is truncated or corrupt/);
  }, 300_000);
});
