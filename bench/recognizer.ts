/**
 * Recognizer benchmark: real-time factor on one thread split by stage (features, model, decoder) for greedy
 * and beam+LM decoding, WER on each set (also through the whole recognizer with endpointing, as `hearken
 * transcribe` runs), and PocketSphinx on the same files in the same run.
 * Usage: npx tsx bench/recognizer.ts [--quick] [--no-pocketsphinx] [--model DIR]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readAudioFile } from '../src/audio/index.js';
import { loadLanguageModelFile } from '../src/lm/load.js';
import { createRecognizer, defaultModels } from '../src/recognizer/index.js';
import { confidenceQuality, scoreWords, type ScoredWord } from '../src/text/confidence.js';
import { WerAccumulator } from '../src/text/wer.js';
import { readManifest, type ManifestEntry } from '../src/util/manifest.js';
import { timeStages } from './stage-timing.js';

const ROOT = new URL('..', import.meta.url).pathname;

export interface SetResult {
  set: string;
  files: number;
  audioSeconds: number;
  rtf: { features: number; model: number; greedyDecoder: number; beamDecoder: number; greedyTotal: number; beamTotal: number };
  /** transcribe: the whole recognizer as `hearken transcribe` runs it (streaming, endpointing on). */
  wer: { greedy: number; beam: number; transcribe: number; pocketsphinx: number | null };
  cer: { greedy: number; beam: number };
  /**
   * Word confidence quality (normalised cross entropy, AUC): raw acoustic scores from the beam search, and the
   * calibrated ones the whole recognizer reports (models/default.json's decoder.confidence).
   */
  confidence: { raw: { nce: number; auc: number }; calibrated: { nce: number; auc: number } };
  pocketsphinxRtf: number | null;
  speedupVsPocketsphinx: number | null;
}

export function ensurePocketsphinx(): boolean {
  if (existsSync('/usr/bin/pocketsphinx_continuous')) return true;
  if (process.getuid?.() !== 0) return false;
  spawnSync('apt-get', ['install', '-y', '-qq', 'pocketsphinx', 'pocketsphinx-en-us'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return existsSync('/usr/bin/pocketsphinx_continuous');
}

/**
 * PocketSphinx's transcript of a 16 kHz WAV and its child CPU seconds (bash's `times` reports the child's
 * user + sys); `extra`: more flags (e.g. -jsgf FILE).
 */
export function pocketsphinx(path: string, extra: readonly string[] = []): { text: string; cpu: number } {
  const out = execFileSync('bash', ['-c', 'f=$1; shift; pocketsphinx_continuous -infile "$f" "$@" -logfn /dev/null 2>/dev/null; echo "@@"; times', 'ps', path, ...extra], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const [text, times] = out.split('@@\n');
  const child = (times ?? '').trim().split('\n')[1] ?? '0m0s 0m0s';
  const secs = child.split(' ').map((t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  });
  return { text: (text ?? '').replace(/\s+/g, ' ').trim(), cpu: secs.reduce((a, b) => a + b, 0) };
}

export async function benchRecognizer(options: { quick?: boolean; pocketsphinx?: boolean; model?: string } = {}): Promise<SetResult[]> {
  const defaults = existsSync(join(ROOT, 'models', 'default.json')) ? defaultModels() : null;
  const modelDir = options.model ?? defaults?.acousticModel;
  if (!modelDir) throw new Error('no model: pass --model DIR or ship models/default.json');
  const lmPath = defaults?.languageModel ?? join(ROOT, 'models', 'lm', 'en-3gram.hklm');
  const lm = existsSync(lmPath) ? loadLanguageModelFile(lmPath) : null;
  // One model and one LM serve the per-stage measurements and the whole recognizer alike.
  const recognizer = await createRecognizer({ model: modelDir, lm: lm ?? false, intraOpThreads: 1 });
  const { model } = recognizer;
  // The weights tuned for the shipped model (models/default.json), as the recognizer uses them.
  const tuned = defaults && !options.model ? defaults.decoder : {};
  const withSphinx = (options.pocketsphinx ?? true) && ensurePocketsphinx();
  const sets: [string, string][] = [['fixtures', join(ROOT, 'audio-samples', 'manifest.tsv')]];
  const evalRoot = join(ROOT, '..', 'shared', 'eval', 'real');
  for (const name of ['librispeech-test-other', 'ljspeech', 'librivox-pocketsphinx']) {
    const manifest = join(evalRoot, name, 'manifest.tsv');
    if (existsSync(manifest)) sets.push([name, manifest]);
  }
  const results: SetResult[] = [];
  for (const [name, manifest] of sets) {
    let entries: ManifestEntry[] = await readManifest(manifest);
    if (options.quick) entries = entries.slice(0, 8);
    const t = { features: 0, model: 0, greedy: 0, beam: 0, sphinx: 0 };
    const wer = { greedy: new WerAccumulator(), beam: new WerAccumulator(), transcribe: new WerAccumulator(), sphinx: new WerAccumulator() };
    const scored = { raw: [] as ScoredWord[], calibrated: [] as ScoredWord[] };
    let audioSeconds = 0;
    for (const entry of entries) {
      const audio = await readAudioFile(entry.path);
      audioSeconds += audio.samples.length / audio.sampleRate;
      const stages = await timeStages(model, audio.samples, { lm, decoder: tuned, greedy: true });
      t.features += stages.seconds.features;
      t.model += stages.seconds.model;
      t.greedy += stages.seconds.greedyDecoder ?? 0;
      t.beam += stages.seconds.beamDecoder;
      const { beam } = stages;
      wer.greedy.add(entry.transcript, stages.greedyText ?? '');
      wer.beam.add(entry.transcript, beam.text);
      const whole = await recognizer.transcribe(audio.samples, audio.sampleRate);
      wer.transcribe.add(entry.transcript, whole.text);
      scored.raw.push(...scoreWords(entry.transcript, beam.words));
      scored.calibrated.push(...scoreWords(entry.transcript, whole.words));
      if (withSphinx) {
        const s = pocketsphinx(entry.path);
        t.sphinx += s.cpu;
        wer.sphinx.add(entry.transcript, s.text);
      }
    }
    const r = (x: number): number => Math.round((x / audioSeconds) * 1e5) / 1e5;
    const beamTotal = t.features + t.model + t.beam;
    results.push({
      set: name,
      files: entries.length,
      audioSeconds: Math.round(audioSeconds * 10) / 10,
      rtf: { features: r(t.features), model: r(t.model), greedyDecoder: r(t.greedy), beamDecoder: r(t.beam), greedyTotal: r(t.features + t.model + t.greedy), beamTotal: r(beamTotal) },
      wer: { greedy: wer.greedy.result().wer, beam: wer.beam.result().wer, transcribe: wer.transcribe.result().wer, pocketsphinx: withSphinx ? wer.sphinx.result().wer : null },
      cer: { greedy: wer.greedy.result().cer, beam: wer.beam.result().cer },
      confidence: { raw: ncAuc(scored.raw), calibrated: ncAuc(scored.calibrated) },
      pocketsphinxRtf: withSphinx ? r(t.sphinx) : null,
      speedupVsPocketsphinx: withSphinx ? Math.round((t.sphinx / beamTotal) * 10) / 10 : null,
    });
  }
  await recognizer.close();
  return results;
}

function ncAuc(words: readonly ScoredWord[]): { nce: number; auc: number } {
  const q = confidenceQuality(words);
  return { nce: Math.round(q.nce * 1000) / 1000, auc: Math.round(q.auc * 1000) / 1000 };
}

export function printRecognizerTable(results: readonly SetResult[]): void {
  const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const f = (x: number | null): string => (x === null ? '—' : x.toFixed(4));
  console.log('set                      files  audio s | RTF feat  model  greedy-dec beam-dec | RTF greedy beam+LM  psphinx | WER greedy beam+LM transcribe psphinx | CER greedy beam | speed× vs psphinx | conf NCE raw calibrated');
  for (const s of results) {
    console.log(
      `${s.set.padEnd(24)} ${String(s.files).padStart(5)} ${s.audioSeconds.toFixed(0).padStart(8)} | ${f(s.rtf.features)} ${f(s.rtf.model)} ${f(s.rtf.greedyDecoder)} ${f(s.rtf.beamDecoder)} | ` +
        `${f(s.rtf.greedyTotal)} ${f(s.rtf.beamTotal)} ${f(s.pocketsphinxRtf)} | ${pct(s.wer.greedy)} ${pct(s.wer.beam)} ${pct(s.wer.transcribe)} ${pct(s.wer.pocketsphinx)} | ${pct(s.cer.greedy)} ${pct(s.cer.beam)} | ${s.speedupVsPocketsphinx ?? '—'} | ${s.confidence.raw.nce} ${s.confidence.calibrated.nce}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const modelIdx = args.indexOf('--model');
  const results = await benchRecognizer({ quick: args.includes('--quick'), pocketsphinx: !args.includes('--no-pocketsphinx'), model: modelIdx >= 0 ? args[modelIdx + 1] : undefined });
  printRecognizerTable(results);
}

/** The same numbers as a Markdown table, for model cards and closing notes. */
export function recognizerMarkdown(results: readonly SetResult[]): string {
  const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const lines = [
    '| set | files | audio (s) | WER greedy | WER beam+LM | WER `hearken transcribe` | WER PocketSphinx | CER greedy | CER beam+LM | RTF beam+LM | RTF PocketSphinx | speed vs PocketSphinx | word conf NCE / AUC, raw → calibrated |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of results) {
    lines.push(
      `| ${s.set} | ${s.files} | ${s.audioSeconds.toFixed(0)} | ${pct(s.wer.greedy)} | ${pct(s.wer.beam)} | ${pct(s.wer.transcribe)} | ${pct(s.wer.pocketsphinx)} | ` +
        `${pct(s.cer.greedy)} | ${pct(s.cer.beam)} | ${s.rtf.beamTotal.toFixed(4)} | ${s.pocketsphinxRtf?.toFixed(4) ?? '—'} | ${s.speedupVsPocketsphinx ?? '—'}× | ` +
        `${s.confidence.raw.nce} / ${s.confidence.raw.auc} → ${s.confidence.calibrated.nce} / ${s.confidence.calibrated.auc} |`,
    );
  }
  return lines.join('\n');
}
