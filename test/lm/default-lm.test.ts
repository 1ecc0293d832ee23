import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arpaFileBytes, loadArpaFile, parseArpa } from '../../src/lm/arpa.js';
import { binaryLmBytes } from '../../src/lm/binary.js';
import { buildArpa } from '../../src/lm/build.js';
import { readSentences } from '../../src/lm/corpus.js';
import { loadLanguageModelFile } from '../../src/lm/load.js';
import { mixArpa } from '../../src/lm/mix.js';
import { sentenceLog10 } from '../../src/lm/perplexity.js';
import { defaultModels } from '../../src/recognizer/recognizer.js';
import { ROOT } from '../helpers.js';

const PATH = existsSync('models/default.json') ? defaultModels().languageModel ?? '' : '';
const LM_DIR = join(ROOT, 'models', 'lm');
const SHIPPED = join(LM_DIR, 'en-3gram.hklm');
const SMALL = join(LM_DIR, 'en-3gram-small.arpa.gz');
const SHARED = join(ROOT, '..', 'shared');
const SOURCES = [
  ...['gutenberg.txt', 'ljspeech.txt', 'wikitext2-valid-test.txt'].map((f) => join(SHARED, 'corpus', f)),
  join(SHARED, 'train', 'real', 'librilight-10h-part', 'manifest.tsv'),
];
const BOOKS = join(SHARED, 'corpus', 'gutenberg-books');
const HELD_OUT = join(LM_DIR, 'dev-heldout.txt');
/** How models/lm/README.md builds en-3gram.hklm from the books and en-3gram-small.arpa.gz. */
const BOOKS_PRUNE = [0, 1, 2];
const BOOKS_WEIGHT = 0.6;
const BITS = 16;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(!existsSync(PATH))('default LM (named in models/default.json)', () => {
  it('loads, knows the books\' vocabulary and prefers fluent English', () => {
    const lm = loadLanguageModelFile(PATH);
    expect(lm.order).toBe(3);
    expect(lm.counts[0]).toBeGreaterThan(100_000);
    const fluent = sentenceLog10(lm, 'i went over there with their friends'.split(' '));
    const swapped = sentenceLog10(lm, 'i went over their with there friends'.split(' '));
    expect(fluent.log10).toBeGreaterThan(swapped.log10);
  }, 600_000);
});

describe.skipIf(!existsSync(SMALL) || !SOURCES.every((f) => existsSync(f)))('en-3gram-small.arpa.gz (lower-memory option)', () => {
  it('is what models/lm/README.md builds: corpus and training transcripts, without the dev sentences', () => {
    const bytes = arpaFileBytes(SMALL, buildArpa(readSentences(SOURCES), { order: 3, exclude: readSentences([HELD_OUT]) }));
    expect(sha(bytes)).toBe(sha(readFileSync(SMALL)));
  }, 600_000);
});

// Counting 17.6 M words of books takes minutes of CPU: run with HEARKEN_LM_REBUILD=1.
describe.skipIf(!process.env.HEARKEN_LM_REBUILD || !existsSync(SMALL) || !existsSync(BOOKS))('en-3gram.hklm rebuild', () => {
  it('is the README\'s mix of the books model into en-3gram-small.arpa.gz, compiled at 16 bits', () => {
    const books = parseArpa(buildArpa(readSentences([BOOKS]), { order: 3, prune: BOOKS_PRUNE, exclude: readSentences([HELD_OUT]) }));
    const mixed = parseArpa(mixArpa(loadArpaFile(SMALL), books, { weight: BOOKS_WEIGHT }));
    expect(sha(binaryLmBytes(mixed, { bits: BITS }))).toBe(sha(readFileSync(SHIPPED)));
  }, 3_600_000);
});
