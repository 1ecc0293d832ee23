/**
 * Writes `features-golden.json` (src/features/fingerprint.ts) into each model folder given: the MFCC fingerprint of
 * a fixed fixture recording under the model card's feature settings. Run it when a model is exported, and only
 * then: test/features/golden.test.ts fails when the front end no longer reproduces it.
 *
 *   npx tsx scripts/features-golden.ts models/en-lcblstm-medium test/fixtures/tiny-model
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAudioFile } from '../src/audio/index.js';
import { FEATURES_GOLDEN_FILE, mfccFingerprint, type FeaturesGolden } from '../src/features/fingerprint.js';
import { parseModelCard } from '../src/model/card.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** 11 s of real speech at 16 kHz, mono: nothing but the MFCC code between the file and the frames. */
const AUDIO = 'audio-samples/librilight-248-130644-0000.wav';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx scripts/features-golden.ts MODEL_DIR...');
  process.exit(2);
}
const meyda = (createRequire(import.meta.url)('meyda/package.json') as { version: string }).version;
const audio = await readAudioFile(join(ROOT, AUDIO));
for (const dir of dirs) {
  const card = parseModelCard(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')));
  const golden: FeaturesGolden = { audio: AUDIO, featureConfig: card.featureConfig, meyda, ...mfccFingerprint(audio.samples, card.featureConfig) };
  writeFileSync(join(dir, FEATURES_GOLDEN_FILE), `${JSON.stringify(golden, null, 1)}\n`);
  console.log(`${relative(ROOT, resolve(dir, FEATURES_GOLDEN_FILE))}: ${golden.frames} frames, sha256 ${golden.sha256}`);
}
