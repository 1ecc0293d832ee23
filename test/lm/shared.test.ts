import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArpa } from '../../src/lm/build.js';
import { loadArpaFile } from '../../src/lm/arpa.js';
import { binaryLmBytes, parseBinaryLm } from '../../src/lm/binary.js';
import type { NgramLM } from '../../src/lm/ngram-lm.js';
import { PairHash } from '../../src/lm/pair-hash.js';
import { loadSharedLM, ngramLMFromShared, shareNgramLM } from '../../src/lm/shared.js';
import { rng } from '../helpers.js';

const CORPUS = [
  'the cat sat on the mat',
  'the dog sat on the log',
  'a cat and a dog met on the mat',
  "the dog didn't see the cat",
  'on the log sat a frog',
];

function arpaFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shared-lm-'));
  const path = join(dir, 'lm.arpa');
  writeFileSync(path, buildArpa(CORPUS, { order: 3 }));
  return path;
}

/** Scores of random (context, word) queries, unknown ids and cut contexts included. */
function queries(lm: NgramLM, seed: number): number[] {
  const random = rng(seed);
  const pick = () => Math.floor(random() * (lm.vocabSize + 2)) - 1;
  const out: number[] = [];
  for (let i = 0; i < 500; i++) {
    const ctx = Array.from({ length: Math.floor(random() * 4) }, pick);
    out.push(lm.score(ctx, pick()));
  }
  return out;
}

describe('shared-memory n-gram model', () => {
  it('scores exactly like the model it was copied from, from SharedArrayBuffers', () => {
    const lm = loadArpaFile(arpaFile());
    const data = shareNgramLM(lm);
    for (const t of data.tables) {
      expect(t.prob.buffer).toBeInstanceOf(SharedArrayBuffer);
      if (t.index) expect((t.index.kind === 'hash' ? t.index.keyA : t.index.start).buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const copy = ngramLMFromShared(structuredClone(data));
    expect(copy.counts).toEqual(lm.counts);
    expect(copy.wordId('cat')).toBe(lm.wordId('cat'));
    expect(copy.unkId).toBe(lm.unkId);
    expect(queries(copy, 7)).toEqual(queries(lm, 7));
  });

  it('shares a binary-loaded model (sorted context ranges, no hash) and scores as the ARPA one does', () => {
    const lm = loadArpaFile(arpaFile());
    const binary = parseBinaryLm(binaryLmBytes(lm, { bits: 32 }));
    const data = shareNgramLM(binary);
    for (const t of data.tables.slice(1)) {
      expect(t.index?.kind).toBe('ranges');
      if (t.index?.kind === 'ranges') expect(t.index.start.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expect(queries(ngramLMFromShared(structuredClone(data)), 8)).toEqual(queries(lm, 8));
  });

  it('is shared, not copied, by structured cloning', () => {
    const data = shareNgramLM(loadArpaFile(arpaFile()));
    const clone = structuredClone(data);
    clone.tables[0]!.prob[1] = -42;
    expect(data.tables[0]!.prob[1]).toBe(-42);
  });

  it('loads in a worker thread and gives the same scores', async () => {
    const path = arpaFile();
    const lm = ngramLMFromShared(await loadSharedLM(path));
    expect(queries(lm, 3)).toEqual(queries(loadArpaFile(path), 3));
    // which file it came from survives the trip (the recognizer tells the shipped LM from others by it)
    expect(lm.sourcePath).toBe(path);
    expect(loadArpaFile(relative(process.cwd(), path)).sourcePath).toBe(path);
  });

  it('rejects a missing or malformed file with the reason', async () => {
    await expect(loadSharedLM(join(tmpdir(), 'no-such-lm.arpa'))).rejects.toThrow(/no-such-lm\.arpa|ENOENT/);
    const bad = join(mkdtempSync(join(tmpdir(), 'shared-lm-')), 'bad.arpa');
    writeFileSync(bad, '\\data\\\nngram 1=2\n\n\\1-grams:\n-1.0 a\n\\end\\\n');
    await expect(loadSharedLM(bad)).rejects.toThrow(/1-grams/);
  });

  it('PairHash.fromArrays refuses arrays that cannot be a table', () => {
    const h = new PairHash(4);
    h.set(1, 2, 3);
    const a = h.arrays();
    expect(PairHash.fromArrays(a).get(1, 2)).toBe(3);
    expect(() => PairHash.fromArrays({ ...a, keyA: new Int32Array(12) })).toThrow(RangeError);
    expect(() => PairHash.fromArrays({ ...a, count: a.keyA.length })).toThrow(RangeError);
  });
});
