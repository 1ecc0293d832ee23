/**
 * Fits the word-confidence calibration (src/decoder/word-confidence.ts) for the shipped model, LM and decoder weights on
 * held-out TRAINING-side dev sets (never ../shared/eval), and reports how good the confidences are before and
 * after: normalised cross entropy (NCE), AUC and calibration error, in-sample and fitted on one dev set while
 * measured on the other.
 * Usage: npx tsx training/decoder/fit-confidence.ts [--model models/NAME] [--decoder models/default.json]
 *          [--manifest training/work/data/real-dev/manifest.tsv ...  default: the dev sets and their augmented copies]
 *          [--limit 400] [--phases 3]
 *          [--held-out training/work/data/real-dev-aug/manifest.tsv ...] [--features meanLogProb,minLogProb,...]
 *          [--write models/default.json]
 * The decoder weights (beam, alpha, beta, unknown-word cost) come from --decoder's `decoder` block, the ones the
 * calibration will be used with; --write stores the calibration as that block's `confidence`. Run it after
 * tune-decoder.ts --write (which replaces the block, and with it a calibration fitted for other weights).
 * --held-out sets are only measured, with the calibration fitted on the --manifest sets: e.g. the augmented dev
 * copies (noise, reverb, telephone band), to see how the confidences hold up on audio the model hears worse.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { BeamSearchDecoder } from '../../src/decoder/beam.js';
import {
  CONFIDENCE_FEATURES, fitCalibration, wordConfidence, type CalibrationSample, type ConfidenceCalibration, type ConfidenceFeature,
} from '../../src/decoder/word-confidence.js';
import { loadLanguageModelFile } from '../../src/lm/load.js';
import { AcousticModel } from '../../src/model/index.js';
import { defaultModels } from '../../src/recognizer/recognizer.js';
import { confidenceQuality, type ConfidenceQuality } from '../../src/text/confidence.js';
import { hypothesisWordsCorrect } from '../../src/text/wer.js';
import { CALIBRATION_MANIFESTS, devLogProbs } from './dev-logprobs.js';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const manifests = process.argv.flatMap((a, i) => (a === '--manifest' ? [process.argv[i + 1]!] : []));
if (manifests.length === 0) manifests.push(...CALIBRATION_MANIFESTS);
const heldOutManifests = process.argv.flatMap((a, i) => (a === '--held-out' ? [process.argv[i + 1]!] : []));
const shipped = defaultModels();
const modelDir = arg('--model') ?? shipped.acousticModel;
const decoderJson = arg('--decoder', arg('--write', 'models/default.json'))!;
const features = (arg('--features') ?? CONFIDENCE_FEATURES.join(',')).split(',') as ConfidenceFeature[];
for (const f of features) if (!(CONFIDENCE_FEATURES as readonly string[]).includes(f)) throw new Error(`unknown feature ${f}`);
const { lmLookahead, ...weights } = (JSON.parse(readFileSync(decoderJson, 'utf8')) as { decoder?: Record<string, number | undefined> & { lmLookahead?: boolean } }).decoder ?? {};
const lookahead = lmLookahead === true;
if (!shipped.languageModel) throw new Error('models/default.json names no language model');

const model = await AcousticModel.load(modelDir);
const lm = loadLanguageModelFile(shipped.languageModel);
const utterances = await devLogProbs(model, [...manifests, ...heldOutManifests], Number(arg('--limit', '400')), Number(arg('--phases', '3')));
await model.release();

/** Every recognised word of every utterance with its evidence and whether it is right, per dev set. */
const samples = new Map<string, CalibrationSample[]>();
for (const u of utterances) {
  const d = new BeamSearchDecoder({
    vocabulary: model.card.vocabulary, blank: model.card.blank, lm,
    beamWidth: weights.beamWidth, beamThreshold: weights.beamThreshold, alpha: weights.alpha, beta: weights.beta, oovLog10: weights.oovLog10, lmLookahead: lookahead,
  });
  d.acceptFrames(u.logProbs, u.steps);
  const { words } = d.finalize();
  const correct = hypothesisWordsCorrect(u.ref, words.map((w) => w.word));
  if (!samples.has(u.set)) samples.set(u.set, []);
  words.forEach((w, i) => samples.get(u.set)!.push({ evidence: w.evidence, correct: correct[i]! }));
}

function quality(set: readonly CalibrationSample[], calibration: ConfidenceCalibration | null): ConfidenceQuality {
  return confidenceQuality(set.map((s) => ({ conf: wordConfidence(s.evidence, calibration), correct: s.correct })));
}
const show = (q: ConfidenceQuality): string =>
  `NCE ${q.nce.toFixed(3)}  AUC ${q.auc.toFixed(3)}  ECE ${q.ece.toFixed(3)}  mean conf ${q.meanConf.toFixed(3)} vs correct ${q.correctRate.toFixed(3)} (${q.words} words)`;

const sets = [...samples.keys()].filter((s) => !heldOutManifests.includes(s));
const all = sets.flatMap((s) => samples.get(s)!);
const calibration = fitCalibration(all, features);
console.log(`decoder: beam ${weights.beamWidth} threshold ${weights.beamThreshold ?? 30} alpha ${weights.alpha} beta ${weights.beta} oov ${weights.oovLog10}; features ${features.join(', ')}`);
const report: Record<string, { nce: number; auc: number; ece: number; words: number; heldOutNce?: number }> = {};
for (const set of sets) {
  const own = samples.get(set)!;
  const others = sets.filter((s) => s !== set).flatMap((s) => samples.get(s)!);
  const q = quality(own, calibration);
  console.log(`${set}\n  raw acoustic: ${show(quality(own, null))}\n  calibrated:   ${show(q)}`);
  report[set] = { nce: q.nce, auc: q.auc, ece: q.ece, words: q.words };
  if (others.length > 0) {
    // Fitted without this set: what a new set can expect.
    const heldOut = quality(own, fitCalibration(others, features));
    console.log(`  fitted on the other set(s) only: ${show(heldOut)}`);
    report[set]!.heldOutNce = heldOut.nce;
  }
}
const heldOutReport: Record<string, { nce: number; auc: number; ece: number; words: number }> = {};
for (const set of heldOutManifests) {
  const own = samples.get(set) ?? [];
  if (own.length === 0) continue;
  const q = quality(own, calibration);
  console.log(`${set} (held out: measured only)\n  raw acoustic: ${show(quality(own, null))}\n  calibrated:   ${show(q)}`);
  heldOutReport[set] = { nce: q.nce, auc: q.auc, ece: q.ece, words: q.words };
}
console.log(`calibration: ${JSON.stringify(calibration)}`);
const write = arg('--write');
if (write) {
  const json = JSON.parse(readFileSync(write, 'utf8')) as { decoder?: Record<string, unknown> };
  const heldOut = heldOutManifests.length > 0 ? { heldOutQuality: heldOutReport } : {};
  json.decoder = { ...json.decoder, confidence: { ...calibration, fittedOn: manifests, quality: report, ...heldOut } };
  writeFileSync(write, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`written to ${write}`);
}
