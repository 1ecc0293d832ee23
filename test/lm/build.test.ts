import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmCommand } from '../../src/cli/lm.js';
import { parseArpa } from '../../src/lm/arpa.js';
import { buildArpa, buildArpaWithStats, countCorpus, writeArpaFromCounts } from '../../src/lm/build.js';
import { prepareCorpusLine } from '../../src/lm/corpus.js';
import type { NgramLM } from '../../src/lm/ngram-lm.js';
import { perplexity } from '../../src/lm/perplexity.js';

const CORPUS = [
  'The cat sat on the mat.',
  'The dog sat on the log.',
  'A cat and a dog met on the mat.',
  'The cat saw the dog.',
  'The dog saw the cat on the log!',
  'Did the cat sit? The cat sat.',
  'A dog is not a cat.',
  'On the mat sat the cat and the dog.',
  'the cat the cat the cat',
  'It cost $5 in 1999.',
];

/** Every context that appears in the model (as a listed n-gram prefix), plus the empty one. */
function contexts(lm: NgramLM): number[][] {
  const out: number[][] = [[]];
  for (let n = 1; n < lm.order; n++) {
    const t = lm.table(n);
    for (let e = 0; e < t.word.length; e++) out.push(idsOf(lm, n, e));
  }
  return out;
}

function idsOf(lm: NgramLM, n: number, e: number): number[] {
  const ids: number[] = [];
  for (let k = n; k >= 1; k--) {
    const t = lm.table(k);
    ids.unshift(t.word[e]!);
    e = t.ctx[e]!;
  }
  return ids;
}

function expectNormalised(lm: NgramLM): void {
  const targets = lm.words.map((_w, i) => i).filter((i) => i !== lm.bos);
  for (const ctx of contexts(lm)) {
    let sum = 0;
    for (const w of targets) sum += Math.pow(10, lm.score(ctx, w));
    expect(sum, `context ${ctx.map((i) => lm.words[i]).join(' ')}`).toBeCloseTo(1, 4);
  }
}

describe('buildArpa (interpolated modified Kneser-Ney)', () => {
  it('writes a loadable model whose every context sums to one', () => {
    const arpa = buildArpa(CORPUS, { order: 3 });
    const lm = parseArpa(arpa);
    expect(lm.order).toBe(3);
    expect(lm.has('<unk>') && lm.has('<s>') && lm.has('</s>')).toBe(true);
    expect(lm.has('five') && lm.has('nineteen')).toBe(true);
    expectNormalised(lm);
  });

  it('stays normalised with pruning, and keeps the ARPA prefix structure', () => {
    const full = buildArpaWithStats(CORPUS, { order: 3 });
    const pruned = buildArpaWithStats(CORPUS, { order: 3, prune: [0, 1, 1] });
    expect(pruned.stats.counts[0]).toBe(full.stats.counts[0]);
    expect(pruned.stats.counts[1]!).toBeLessThan(full.stats.counts[1]!);
    expect(pruned.stats.counts[2]!).toBeLessThan(full.stats.counts[2]!);
    const lm = parseArpa(pruned.arpa);
    expectNormalised(lm);
  });

  it('works for orders 1, 2 and 4', () => {
    for (const order of [1, 2, 4]) expectNormalised(parseArpa(buildArpa(CORPUS, { order })));
  });

  it('gives sensible perplexities', () => {
    const lm = parseArpa(buildArpa(CORPUS, { order: 3 }));
    const sents = (xs: string[]): string[][] => xs.map(prepareCorpusLine).filter((s): s is string[] => s !== null);
    const seen = perplexity(lm, sents(['the cat sat on the mat']));
    const plausible = perplexity(lm, sents(['the dog sat on the mat']));
    const scrambled = perplexity(lm, sents(['mat the on sat dog the']));
    expect(seen.perplexity).toBeLessThan(plausible.perplexity);
    expect(plausible.perplexity).toBeLessThan(scrambled.perplexity);
    // Far better than uniform over the vocabulary on text like the training text.
    expect(plausible.perplexity).toBeLessThan(lm.vocabSize / 2);
    expect(scrambled.oovs).toBe(0);
  });

  it('computes KN discounts from count-of-counts and unigram continuation counts', () => {
    const { arpa, stats } = buildArpaWithStats(CORPUS, { order: 2 });
    for (const d of stats.discounts) {
      expect(d[0]).toBeGreaterThan(0);
      expect(d[0]).toBeLessThan(1);
      expect(d[1]).toBeLessThan(2);
      expect(d[2]).toBeLessThan(3);
    }
    const lm = parseArpa(arpa);
    // "the" follows many different words; "mat" only follows "the": continuation counts make p(the) > p(mat).
    expect(lm.score([], lm.wordId('the'))).toBeGreaterThan(lm.score([], lm.wordId('mat')));
  });

  it('skips lines with <unk> and rejoins WikiText tokens', () => {
    expect(prepareCorpusLine('the <unk> was here')).toBeNull();
    expect(prepareCorpusLine('in 1 @,@ 000 state @-@ of @-@ the @-@ art , 3 @.@ 5 m')).toEqual(
      'in one thousand state of the art three point five m'.split(' '),
    );
    expect(prepareCorpusLine(' , . ')).toBeNull();
  });
});

describe('countCorpus + writeArpaFromCounts', () => {
  it('estimates every lower order and pruning from one count, as a build of that order would', () => {
    const counted = countCorpus(CORPUS, { order: 4 });
    for (const [order, prune] of [[3, [0, 1, 1]], [2, []], [4, [0, 0, 1]]] as const) {
      const parts: string[] = [];
      const stats = writeArpaFromCounts(counted, (t) => parts.push(t), { order, prune });
      const direct = buildArpaWithStats(CORPUS, { order, prune });
      expect(parts.join('')).toBe(direct.arpa);
      expect(stats.counts).toEqual(direct.stats.counts);
    }
    expect(() => writeArpaFromCounts(counted, () => undefined, { order: 5 })).toThrow(RangeError);
  });

  it('keeps n-grams of sentences far apart in a long text apart', () => {
    // 3,000 three-word sentences: no n-gram may run from one sentence into the next
    const lines = Array.from({ length: 3000 }, (_, i) => `a${i % 7} b${i % 11} c${i % 13}`);
    const lm = parseArpa(buildArpa(lines, { order: 3, prepare: (line) => line.split(' ') }));
    expect(lm.counts[1]).toBe(7 + 77 + 143 + 13); // <s> alpha, alpha beta, beta gamma, gamma </s>
    expectNormalised(lm);
  });
});

describe('held-out sentences', () => {
  it('are left out however they are written, and counted', () => {
    const full = buildArpaWithStats(CORPUS, { order: 2 });
    // "It cost $5 in 1999." and "The cat saw the dog." written differently: they match after normalisation
    const held = buildArpaWithStats(CORPUS, { order: 2, exclude: ['it cost five dollars in nineteen ninety nine', 'THE CAT SAW THE DOG', 'never seen'] });
    expect(held.stats.excluded).toBe(2);
    expect(held.stats.sentences).toBe(full.stats.sentences - 2);
    const lm = parseArpa(held.arpa);
    expect(lm.has('dollars')).toBe(false);
    expect(parseArpa(full.arpa).has('dollars')).toBe(true);
    expectNormalised(lm);
  });
});

/** Runs `hearken lm ...` in this process and returns what it printed. */
async function lmCli(args: string[]): Promise<string> {
  const writes: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    writes.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await lmCommand().parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = orig;
  }
  return writes.join('');
}

describe('hearken lm build', () => {
  it('builds an ARPA file from text files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmcli-'));
    const input = join(dir, 'a.txt');
    const output = join(dir, 'lm.arpa');
    writeFileSync(input, CORPUS.join('\n'));
    const printed = await lmCli(['build', input, '-o', output, '--order', '2', '--prune', '0', '1']);
    const lm = parseArpa(readFileSync(output, 'utf8'));
    expect(lm.order).toBe(2);
    expect(printed).toMatch(/2-grams/);
  });

  it('holds out the sentences of --exclude files, manifests included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmcli-'));
    const input = join(dir, 'a.txt');
    const held = join(dir, 'held.txt');
    const manifest = join(dir, 'dev.tsv');
    writeFileSync(input, CORPUS.join('\n'));
    writeFileSync(held, 'The cat saw the dog.\n');
    writeFileSync(manifest, 'file\ttranscript\nwav/x.wav\tit cost five dollars in nineteen ninety nine\n');
    const output = join(dir, 'lm.arpa');
    const printed = await lmCli(['build', input, '-o', output, '--order', '2', '--exclude', held, '--exclude', manifest]);
    expect(printed).toMatch(/\(2 held out\)/);
    expect(parseArpa(readFileSync(output, 'utf8')).has('dollars')).toBe(false);
  });

  it('refuses an --order that is not a positive integer, naming the flag, before reading any file', async () => {
    for (const order of ['0', '2.5', 'three']) {
      const lm = lmCommand();
      // commander would exit the process; thrown errors and no stderr let the refusal be checked here
      for (const command of [lm, ...lm.commands]) command.exitOverride().configureOutput({ writeErr: () => undefined });
      await expect(lm.parseAsync(['build', 'missing.txt', '-o', 'unused.arpa', '--order', order], { from: 'user' })).rejects.toThrow(
        new RegExp(`--order <n>' argument '${order}' is invalid\\. must be a positive integer`),
      );
    }
  });
});
