import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmCommand } from '../../src/cli/lm.js';
import { parseArpa } from '../../src/lm/arpa.js';
import { buildArpa } from '../../src/lm/build.js';
import { mixArpa } from '../../src/lm/mix.js';
import type { NgramLM } from '../../src/lm/ngram-lm.js';

const GENERAL = [
  'the cat sat on the mat',
  'the dog sat on the log',
  'a cat and a dog met on the mat',
  'the cat saw the dog',
  'the dog saw the cat on the log',
  'on the mat sat the cat and the dog',
];
/** A second domain with words of its own ("patient", "dose") and shared ones used differently. */
const DOMAIN = ['the patient saw the doctor', 'the doctor gave the patient a dose', 'a dose on the mat', 'the cat saw the doctor'];

const general = parseArpa(buildArpa(GENERAL, { order: 3 }));
const domain = parseArpa(buildArpa(DOMAIN, { order: 3 }));

/** P(word | context words) in `lm`, 0 for a word it does not know; unknown context words cut the context. */
function prob(lm: NgramLM, context: string[], word: string): number {
  if (!lm.has(word)) return 0;
  const ctx = context.map((w) => (lm.has(w) ? lm.wordId(w) : -1));
  return 10 ** lm.score(ctx, lm.wordId(word));
}

const ALL_WORDS = [...new Set([...general.words, ...domain.words])].filter((w) => w !== '<s>');
/** Contexts of every length up to two over the merged vocabulary (<s> only first). */
const CONTEXTS: string[][] = [[], ...ALL_WORDS.filter((w) => w !== '</s>').flatMap((u) => [[u], ['<s>', u], ...['the', 'a'].map((v) => [v, u])]), ['<s>']];

describe('mixArpa (static linear interpolation)', () => {
  it('is a proper distribution after every context, over the merged vocabulary', () => {
    const mixed = parseArpa(mixArpa(general, domain, { weight: 0.3 }));
    expect(ALL_WORDS.every((w) => mixed.has(w))).toBe(true);
    for (const ctx of CONTEXTS) {
      const sum = ALL_WORDS.reduce((s, w) => s + prob(mixed, ctx, w), 0);
      expect(sum, `after "${ctx.join(' ')}"`).toBeCloseTo(1, 4);
    }
  });

  it('gives n-grams either model lists exactly the weighted mixture of the two', () => {
    const weight = 0.3;
    const mixed = parseArpa(mixArpa(general, domain, { weight }));
    const listed: Array<[string[], string]> = [
      [['the'], 'cat'], [['the'], 'patient'], [['the', 'doctor'], 'gave'], [['saw', 'the'], 'dog'], [['<s>'], 'the'], [[], 'dose'], [['a'], 'dose'],
    ];
    for (const [ctx, w] of listed) {
      const expected = (1 - weight) * prob(general, ctx, w) + weight * prob(domain, ctx, w);
      expect(prob(mixed, ctx, w), `${ctx.join(' ')} | ${w}`).toBeCloseTo(expected, 5);
    }
    // the domain words reach the mixture at the domain model's weight
    expect(prob(mixed, ['the'], 'patient')).toBeGreaterThan(0);
    expect(prob(mixed, ['the'], 'patient')).toBeLessThan(prob(domain, ['the'], 'patient'));
  });

  it('reproduces either model at weights 0 and 1 on the words it knows', () => {
    const first = parseArpa(mixArpa(general, domain, { weight: 0 }));
    const second = parseArpa(mixArpa(general, domain, { weight: 1 }));
    for (const ctx of CONTEXTS) {
      for (const w of ALL_WORDS) {
        if (general.has(w)) expect(prob(first, ctx, w)).toBeCloseTo(prob(general, ctx, w), 5);
        if (domain.has(w)) expect(prob(second, ctx, w)).toBeCloseTo(prob(domain, ctx, w), 5);
      }
    }
  });

  it('refuses weights outside [0, 1] and models of different orders', () => {
    expect(() => mixArpa(general, domain, { weight: 1.5 })).toThrow(/weight/);
    expect(() => mixArpa(general, domain, { weight: Number.NaN })).toThrow(/weight/);
    expect(() => mixArpa(general, parseArpa(buildArpa(DOMAIN, { order: 2 })), { weight: 0.5 })).toThrow(/orders/);
  });
});

describe('hearken lm mix', () => {
  it('writes the mixture and refuses a bad weight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmmix-'));
    const [a, b, out] = ['a.arpa', 'b.arpa', 'mix.arpa.gz'].map((f) => join(dir, f)) as [string, string, string];
    writeFileSync(a, buildArpa(GENERAL, { order: 2 }));
    writeFileSync(b, buildArpa(DOMAIN, { order: 2 }));
    await lmCommand().parseAsync(['mix', a, b, '--weight', '0.25', '-o', out], { from: 'user' });
    const { loadArpaFile } = await import('../../src/lm/arpa.js');
    const mixed = loadArpaFile(out);
    expect(mixed.has('patient') && mixed.has('log')).toBe(true);
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    const quiet = lmCommand();
    // sub-commands exist before these calls, so each needs them (a bad argument would otherwise exit the process)
    for (const c of [quiet, ...quiet.commands]) c.exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(quiet.parseAsync(['mix', a, b, '--weight', '2', '-o', out], { from: 'user' })).rejects.toThrow(/0 to 1/);
  });
});
