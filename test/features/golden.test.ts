import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudioFile } from '../../src/audio/index.js';
import { FEATURES_GOLDEN_FILE, mfccFingerprint, readFeaturesGolden } from '../../src/features/fingerprint.js';
import { parseModelCard } from '../../src/model/card.js';
import { ROOT, TINY_MODEL, shippedModels } from '../helpers.js';

// The features are a contract between training and run time: a model hears only what it was trained on.
describe.each([TINY_MODEL, ...shippedModels()])('MFCC golden: %s', (dir) => {
  it('the front end reproduces the fingerprint stored with the model, bit for bit', async () => {
    const golden = readFeaturesGolden(dir);
    if (!golden) throw new Error(`${dir} has no ${FEATURES_GOLDEN_FILE}: write it with npx tsx scripts/features-golden.ts ${dir}`);
    const card = parseModelCard(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')));
    expect(golden.featureConfig).toEqual(card.featureConfig);
    const audio = await readAudioFile(join(ROOT, golden.audio));
    expect(audio.source.sampleRate).toBe(card.featureConfig.sampleRate);
    const now = mfccFingerprint(audio.samples, card.featureConfig);
    expect(now.frames).toBe(golden.frames);
    expect(now.dim).toBe(golden.dim);
    const moved = Math.max(...now.coefficientMeans.map((m, k) => Math.abs(m - golden.coefficientMeans[k]!)));
    // a mismatch means meyda (or src/features) changed what the model hears: pin it back or retrain, never rewrite
    expect(now.sha256, `features changed (largest coefficient mean moved by ${moved})`).toBe(golden.sha256);
  });
});

describe('MFCC fingerprint', () => {
  it('changes when one sample moves by one 16-bit step', async () => {
    const audio = await readAudioFile(join(ROOT, 'audio-samples', 'librilight-248-130644-0000.wav'));
    const config = parseModelCard(JSON.parse(readFileSync(join(TINY_MODEL, 'model.json'), 'utf8'))).featureConfig;
    const before = mfccFingerprint(audio.samples, config);
    const nudged = audio.samples.slice();
    nudged[8000] = nudged[8000]! + 1 / 32768;
    const after = mfccFingerprint(nudged, config);
    expect(after.frames).toBe(before.frames);
    expect(after.sha256).not.toBe(before.sha256);
  });

  it('meyda, which computes the features, is pinned to one exact version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.meyda).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
