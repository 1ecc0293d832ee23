/**
 * Whole-pipeline real-time factor of several acoustic models side by side: features + model + beam search with
 * the LM, on one thread, the same files, in one run. The models take turns on every file (the order rotates), so
 * a machine whose load changes during the run weighs on each alike. CPU time (user + system) of this process
 * is what is counted.
 * Usage: npx tsx bench/models-rtf.ts --manifest FILE [--manifest FILE ...] [--limit 40 per manifest]
 *          [--json OUT] MODEL_DIR...
 * Beam settings are models/default.json's (the shipped decoder), with its LM.
 */
import { writeFileSync } from 'node:fs';
import { readAudioFile } from '../src/audio/index.js';
import { loadLanguageModelFile } from '../src/lm/load.js';
import { createRecognizer, defaultModels, type Recognizer } from '../src/recognizer/index.js';
import { readManifest, type ManifestEntry } from '../src/util/manifest.js';
import { timeStages } from './stage-timing.js';

export interface ModelRtf {
  model: string;
  audioSeconds: number;
  rtf: { features: number; model: number; beamDecoder: number; total: number };
}

export async function benchModels(modelDirs: readonly string[], manifests: readonly string[], limit = 40): Promise<ModelRtf[]> {
  const defaults = defaultModels();
  const lm = defaults.languageModel ? loadLanguageModelFile(defaults.languageModel) : null;
  const recognizers: Recognizer[] = [];
  for (const dir of modelDirs) recognizers.push(await createRecognizer({ model: dir, lm: lm ?? false, intraOpThreads: 1 }));
  let entries: ManifestEntry[] = [];
  for (const m of manifests) entries = entries.concat((await readManifest(m)).slice(0, limit));
  const t = modelDirs.map(() => ({ features: 0, model: 0, beam: 0 }));
  let audioSeconds = 0;
  for (const [i, entry] of entries.entries()) {
    const audio = await readAudioFile(entry.path);
    audioSeconds += audio.samples.length / audio.sampleRate;
    for (let j = 0; j < recognizers.length; j++) {
      const k = (i + j) % recognizers.length;
      const { model } = recognizers[k] as Recognizer;
      const acc = t[k] as { features: number; model: number; beam: number };
      const { seconds } = await timeStages(model, audio.samples, { lm, decoder: defaults.decoder });
      acc.features += seconds.features;
      acc.model += seconds.model;
      acc.beam += seconds.beamDecoder;
    }
  }
  for (const r of recognizers) await r.close();
  const r = (x: number): number => Math.round((x / audioSeconds) * 1e5) / 1e5;
  return modelDirs.map((model, k) => {
    const s = t[k] as { features: number; model: number; beam: number };
    return { model, audioSeconds: Math.round(audioSeconds * 10) / 10, rtf: { features: r(s.features), model: r(s.model), beamDecoder: r(s.beam), total: r(s.features + s.model + s.beam) } };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const manifests: string[] = [];
  const models: string[] = [];
  let limit = 40;
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--manifest') manifests.push(argv[++i] as string);
    else if (a === '--limit') limit = Number(argv[++i]);
    else if (a === '--json') json = argv[++i];
    else models.push(a);
  }
  if (!models.length || !manifests.length) throw new Error('usage: bench/models-rtf.ts --manifest FILE [--limit N] [--json OUT] MODEL_DIR...');
  const results = await benchModels(models, manifests, limit);
  console.log('model                                    audio s | RTF features  model  beam  total');
  for (const m of results) {
    console.log(`${m.model.padEnd(40)} ${m.audioSeconds.toFixed(0).padStart(7)} | ${m.rtf.features.toFixed(4)} ${m.rtf.model.toFixed(4)} ${m.rtf.beamDecoder.toFixed(4)} ${m.rtf.total.toFixed(4)}`);
  }
  if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
}
