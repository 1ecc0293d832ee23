import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArpaFile } from '../../src/lm/arpa.js';
import { sentenceLog10 } from '../../src/lm/perplexity.js';
import { defaultModels } from '../../src/recognizer/recognizer.js';

const PATH = existsSync('models/default.json') ? defaultModels().languageModel ?? '' : '';

describe.skipIf(!existsSync(PATH))('default LM (named in models/default.json)', () => {
  it('loads and prefers fluent English', () => {
    const lm = loadArpaFile(PATH);
    expect(lm.order).toBe(3);
    expect(lm.counts[0]).toBeGreaterThan(20000);
    const fluent = sentenceLog10(lm, 'i went over there with their friends'.split(' '));
    const swapped = sentenceLog10(lm, 'i went over their with there friends'.split(' '));
    expect(fluent.log10).toBeGreaterThan(swapped.log10);
  });
});
