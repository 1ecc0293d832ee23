/**
 * Punctuation cost beside the recogniser's: the fixtures are transcribed once (timed), then their utterances
 * are punctuated as results (from scratch) and as a stream's partials (one partial per new word, the trellis
 * extended each time), and the time is reported as words per second and as a share of the recognition time.
 * Run alone with `npx tsx bench/punctuation.ts`.
 */
import { pathToFileURL } from 'node:url';
import { readAudioFile } from '../src/audio/index.js';
import { defaultPunctuationModel } from '../src/punctuation/model.js';
import { createRecognizer } from '../src/recognizer/index.js';
import { readManifest } from '../src/util/manifest.js';

export interface PunctuationBench {
  words: number;
  loadSeconds: number;
  recognizerSeconds: number;
  resultWordsPerSecond: number;
  partialWordsPerSecond: number;
  /** Punctuation time (results plus every partial) over recognition time. */
  shareOfRecognizer: number;
}

export async function benchPunctuation(): Promise<PunctuationBench> {
  const manifest = new URL('../audio-samples/manifest.tsv', import.meta.url).pathname;
  const recognizer = await createRecognizer();
  const utterances: string[][] = [];
  let recognizerSeconds = 0;
  for (const entry of await readManifest(manifest)) {
    const audio = await readAudioFile(entry.path);
    const stream = recognizer.createStream();
    const t0 = performance.now();
    stream.acceptWaveform(audio.samples, audio.sampleRate);
    await stream.decode();
    const results = [];
    while (stream.hasResult()) results.push(stream.popResult()!);
    results.push(await stream.finish());
    recognizerSeconds += (performance.now() - t0) / 1000;
    for (const r of results) if (r.words.length > 0) utterances.push(r.words.map((w) => w.word));
  }
  await recognizer.close();
  let t0 = performance.now();
  const model = defaultPunctuationModel();
  const loadSeconds = (performance.now() - t0) / 1000;
  const words = utterances.reduce((n, u) => n + u.length, 0);
  const reps = 20;
  t0 = performance.now();
  for (let k = 0; k < reps; k++) for (const u of utterances) model.punctuate(u);
  const resultSeconds = (performance.now() - t0) / 1000 / reps;
  t0 = performance.now();
  for (let k = 0; k < reps; k++) {
    for (const u of utterances) {
      const trellis = model.trellis();
      for (let i = 1; i <= u.length; i++) model.punctuate(u.slice(0, i), false, trellis);
    }
  }
  const partialSeconds = (performance.now() - t0) / 1000 / reps;
  return {
    words,
    loadSeconds,
    recognizerSeconds,
    resultWordsPerSecond: words / resultSeconds,
    partialWordsPerSecond: words / partialSeconds,
    shareOfRecognizer: (resultSeconds + partialSeconds) / recognizerSeconds,
  };
}

export function printPunctuation(b: PunctuationBench): void {
  console.log(
    `punctuation: ${b.words} recognised words, model load ${b.loadSeconds.toFixed(2)} s; results ${Math.round(b.resultWordsPerSecond)} words/s, ` +
      `a partial per word ${Math.round(b.partialWordsPerSecond)} words/s; both together ${(100 * b.shareOfRecognizer).toFixed(2)} % of the recognizer's time`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) printPunctuation(await benchPunctuation());
