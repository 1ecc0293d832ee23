/**
 * The acoustic model's log-probabilities for the utterances of training-side dev manifests, computed once so a
 * script can decode them many times (tune-decoder.ts, fit-confidence.ts). Refuses ../shared/eval: nothing is ever
 * tuned or fitted on the evaluation sets.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readAudioFile, withEndPadding } from '../../src/audio/index.js';
import { computeMfcc } from '../../src/features/index.js';
import { encodeUtterance, type AcousticModel } from '../../src/model/index.js';
import { DEFAULT_END_PADDING } from '../../src/recognizer/recognizer.js';
import { readManifest } from '../../src/util/manifest.js';

export interface DevUtterance {
  /** Reference transcript. */
  ref: string;
  /** [steps, V] natural-log posteriors, row-major. */
  logProbs: Float32Array;
  steps: number;
  /** The manifest it came from. */
  set: string;
}

const CLEAN_DEV_MANIFESTS = ['training/work/data/real-dev/manifest.tsv', 'training/work/data/synth-dev/manifest.tsv'];
/**
 * What decoder weights are tuned on and models are compared on: the dev sets, and (where training/local/prepare.py
 * made them) the same sets with their leading or trailing silence cut, since users' clips often start or end on
 * speech and the model once missed most first words there, and more last words than with silence after them; and
 * so-dev, twenty speechocean762 speakers (children and adults, Mandarin-L1) no model trains on, so that real voices
 * the model has never heard (so-dev, real-dev's three sets) weigh more than the synthetic ones (three sets).
 */
export const DEFAULT_DEV_MANIFESTS = [
  ...CLEAN_DEV_MANIFESTS,
  ...['onset', 'offset']
    .flatMap((cut) => [`training/work/data/real-dev-${cut}/manifest.tsv`, `training/work/data/synth-dev-${cut}/manifest.tsv`])
    .filter((m) => existsSync(m)),
  ...['training/work/data/so-dev/manifest.tsv'].filter((m) => existsSync(m)),
];
/**
 * The dev sets plus their augmented copies (noise, reverb, telephone band: training/local/prepare.py), for the
 * word-confidence calibration, which must also hold on audio the model hears badly. The copies are newer than the
 * first data preparations: a work folder without them calibrates on the dev sets.
 */
export const CALIBRATION_MANIFESTS = [
  ...CLEAN_DEV_MANIFESTS,
  ...['training/work/data/real-dev-aug/manifest.tsv', 'training/work/data/synth-dev-aug/manifest.tsv'].filter((m) => existsSync(m)),
];

/**
 * Every utterance (the first `limit` per manifest) at `phases` stacking phases: the audio shifted by 0, 10, 20 ms,
 * one per phase of the 30 ms model steps. The model's errors move with the phase, so one phase makes a small dev
 * set noisier than it is.
 */
export async function devLogProbs(model: AcousticModel, manifests: readonly string[], limit: number, phases: number, cacheDir?: string): Promise<DevUtterance[]> {
  for (const m of manifests) if (m.includes('shared/eval')) throw new Error('never tune or fit on ../shared/eval');
  if (!Number.isInteger(phases) || phases < 1 || phases > 3) throw new Error('phases must be 1, 2 or 3');
  const cacheFile = cacheDir ? join(cacheDir, `${cacheKey(model, manifests, limit, phases)}.json`) : null;
  if (cacheFile && existsSync(cacheFile)) return readCache(cacheFile);
  const out = await computeDevLogProbs(model, manifests, limit, phases);
  if (cacheFile) writeCache(cacheFile, out);
  return out;
}

/** Everything the log-probabilities depend on: the model's weights and card, the manifests' contents and the settings. */
function cacheKey(model: AcousticModel, manifests: readonly string[], limit: number, phases: number): string {
  const h = createHash('sha256');
  h.update(readFileSync(join(model.dir, model.card.onnx.file)));
  h.update(JSON.stringify(model.card));
  for (const m of manifests) h.update(m).update(readFileSync(m));
  h.update(JSON.stringify({ limit, phases, padding: DEFAULT_END_PADDING }));
  return h.digest('hex').slice(0, 24);
}

function writeCache(file: string, utterances: readonly DevUtterance[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const rows = utterances.map((u) => ({ ref: u.ref, set: u.set, steps: u.steps, logProbs: Buffer.from(u.logProbs.buffer, u.logProbs.byteOffset, u.logProbs.byteLength).toString('base64') }));
  writeFileSync(file, JSON.stringify(rows));
}

function readCache(file: string): DevUtterance[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<{ ref: string; set: string; steps: number; logProbs: string }>;
  return rows.map((r) => {
    const bytes = Buffer.from(r.logProbs, 'base64');
    const logProbs = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(logProbs.buffer).set(bytes);
    return { ref: r.ref, set: r.set, steps: r.steps, logProbs };
  });
}

async function computeDevLogProbs(model: AcousticModel, manifests: readonly string[], limit: number, phases: number): Promise<DevUtterance[]> {
  const V = model.card.vocabulary.length;
  const hop = model.card.featureConfig.hopLength;
  const out: DevUtterance[] = [];
  for (const manifest of manifests) {
    for (const entry of (await readManifest(manifest)).slice(0, limit)) {
      const audio = await readAudioFile(entry.path);
      for (let phase = 0; phase < phases; phase++) {
        // with the quiet tail a finishing stream adds, so what is tuned and fitted here is what users get
        const samples = withEndPadding(audio.samples.subarray(phase * hop), DEFAULT_END_PADDING);
        const all = await encodeUtterance(model, computeMfcc(samples, model.card.featureConfig));
        out.push({ ref: entry.transcript, logProbs: all, steps: all.length / V, set: manifest });
      }
    }
  }
  return out;
}
