import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSentences } from '../../src/lm/corpus.js';
import { buildPunctuationModel, punctuationModelFiles, readUnits } from '../../src/punctuation/build.js';
import { evaluatePunctuation } from '../../src/punctuation/evaluate.js';
import { CASE_TABLE_FILE, PUNCTUATION_DIR, PUNCTUATION_LM_FILE, PunctuationModel, punctuateText } from '../../src/punctuation/model.js';
import { ROOT } from '../helpers.js';

// The sources models/punctuation/README.md builds from, in its order (never ../shared/eval/).
const SOURCES = ['gutenberg.txt', 'ljspeech.txt', 'wikitext2-valid-test.txt'].map((f) => join(ROOT, '..', 'shared', 'corpus', f));
const SHIPPED = existsSync(join(PUNCTUATION_DIR, PUNCTUATION_LM_FILE));
const CORPUS = SOURCES.every((f) => existsSync(f));

describe.skipIf(!SHIPPED)('shipped punctuation model (models/punctuation/)', () => {
  it('punctuates and cases the README example', () => {
    expect(punctuateText('the quick brown fox jumped over the lazy dog it was tired')).toBe('The quick brown fox jumped over the lazy dog. It was tired.');
    // proper nouns from the case table, mid-sentence too
    expect(punctuateText('then mister smith went to london')).toMatch(/^Then Mister Smith,? went to London[.?]$/);
  });

  it.skipIf(!CORPUS)('is what `hearken punctuation build` makes of the corpus, byte for byte', () => {
    const files = punctuationModelFiles(buildPunctuationModel(readSentences(SOURCES)));
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    for (const name of [PUNCTUATION_LM_FILE, CASE_TABLE_FILE]) expect(sha(files[name]!), name).toBe(sha(readFileSync(join(PUNCTUATION_DIR, name))));
  });

  it.skipIf(!CORPUS)('on held-out units it finds marks and case well above chance (bounds below the measured figures)', () => {
    const model = PunctuationModel.load();
    // every other test unit: a sample, to keep the test short
    const units = [...readUnits(readSentences(SOURCES))].filter((u) => u.split === 'test').map((u) => u.unit).filter((_, i) => i % 2 === 0);
    const r = evaluatePunctuation(model, units);
    expect(r.words).toBeGreaterThan(15000);
    // measured on all test units: comma F1 0.505, all marks 0.465, sentence boundary 0.352, case 0.945 (0.910 first word only)
    expect(r.marks.comma.f1).toBeGreaterThan(0.42);
    expect(r.overall.f1).toBeGreaterThan(0.4);
    expect(r.overall.precision).toBeGreaterThan(0.4);
    expect(r.sentenceBoundary.f1).toBeGreaterThan(0.28);
    expect(r.finalMarkAccuracy).toBeGreaterThan(0.9);
    expect(r.caseAccuracy).toBeGreaterThan(r.caseBaseline + 0.02);
    expect(r.capitalisedRecall).toBeGreaterThan(0.55);
  });
});
