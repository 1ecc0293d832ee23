import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arpaFileBytes, loadArpaFile } from '../../src/lm/arpa.js';
import { buildArpa } from '../../src/lm/build.js';
import { readSentences } from '../../src/lm/corpus.js';
import { sentenceLog10 } from '../../src/lm/perplexity.js';
import { defaultModels } from '../../src/recognizer/recognizer.js';
import { ROOT } from '../helpers.js';

const PATH = existsSync('models/default.json') ? defaultModels().languageModel ?? '' : '';
const SHARED = join(ROOT, '..', 'shared');
const SOURCES = [
  ...['gutenberg.txt', 'ljspeech.txt', 'wikitext2-valid-test.txt'].map((f) => join(SHARED, 'corpus', f)),
  join(SHARED, 'train', 'real', 'librilight-10h-part', 'manifest.tsv'),
];
const HELD_OUT = join(ROOT, 'models', 'lm', 'dev-heldout.txt');

describe.skipIf(!existsSync(PATH))('default LM (named in models/default.json)', () => {
  it('loads and prefers fluent English', () => {
    const lm = loadArpaFile(PATH);
    expect(lm.order).toBe(3);
    expect(lm.counts[0]).toBeGreaterThan(20000);
    const fluent = sentenceLog10(lm, 'i went over there with their friends'.split(' '));
    const swapped = sentenceLog10(lm, 'i went over their with there friends'.split(' '));
    expect(fluent.log10).toBeGreaterThan(swapped.log10);
  });

  it.skipIf(!SOURCES.every((f) => existsSync(f)))('is what models/lm/README.md builds: corpus and training transcripts, without the dev sentences', () => {
    const bytes = arpaFileBytes(PATH, buildArpa(readSentences(SOURCES), { order: 3, exclude: readSentences([HELD_OUT]) }));
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(sha(bytes)).toBe(sha(readFileSync(PATH)));
  }, 60_000);
});
