/**
 * Decoder micro benchmark on synthetic peaked CTC posteriors (30 ms frames).
 * Run: npx tsx bench/decoder.bench.ts [path/to/lm.arpa]   (default: the LM in models/default.json)
 * Prints decode time per second of audio for greedy, beam without LM, beam + 3-gram LM, and
 * beam + LM + hotwords, plus the LM load time.
 */
import { existsSync } from 'node:fs';
import { BeamSearchDecoder, type BeamSearchOptions } from '../src/decoder/beam.js';
import { greedyDecode } from '../src/decoder/greedy.js';
import { DEFAULT_VOCABULARY } from '../src/decoder/vocabulary.js';
import { loadLanguageModelFile } from '../src/lm/load.js';
import { defaultModels } from '../src/recognizer/recognizer.js';
import type { NgramLM } from '../src/lm/ngram-lm.js';
import { rng as mulberry32 } from '../src/util/random.js';

const V = DEFAULT_VOCABULARY.length;
const FRAME_S = 0.03;


const WORDS = ('the of and to a in that it was he i his you for had is with she as her on at by not be this but ' +
  'from have they which one all were said we my an so there their what would when out me them no if up some ' +
  'could into time been more like very only then other about any man little upon see great way well old made').split(' ');

/** Speech-like posteriors: each character peaks on 1-2 frames with a runner-up, blanks in between. */
function synthesize(seconds: number, seed: number): { logProbs: Float32Array; frames: number } {
  const r = mulberry32(seed);
  const target = Math.round(seconds / FRAME_S);
  const rows: number[][] = [];
  const push = (dist: Map<number, number>): void => {
    let mass = 0;
    for (const p of dist.values()) mass += p;
    const rest = Math.max(1 - mass, 1e-6) / (V - dist.size);
    const row = new Array<number>(V);
    for (let v = 0; v < V; v++) row[v] = Math.log(dist.get(v) ?? rest);
    rows.push(row);
  };
  while (rows.length < target) {
    const word = WORDS[Math.floor(r() * WORDS.length)]!;
    for (const ch of `${word} `) {
      const tok = DEFAULT_VOCABULARY.indexOf(ch);
      const reps = 1 + (r() < 0.3 ? 1 : 0);
      for (let k = 0; k < reps; k++) {
        const other = 1 + Math.floor(r() * (V - 1));
        const p = 0.6 + 0.38 * r();
        push(new Map([[tok, p], [other === tok ? 0 : other, (1 - p) * 0.7]]));
      }
      const gaps = 1 + Math.floor(r() * 3);
      for (let g = 0; g < gaps; g++) push(new Map([[0, r() < 0.6 ? 0.9995 : 0.9 + 0.09 * r()]]));
    }
  }
  rows.length = target;
  const logProbs = new Float32Array(target * V);
  rows.forEach((row, i) => logProbs.set(row, i * V));
  return { logProbs, frames: target };
}

function time(fn: () => void, repeats: number): number {
  fn(); // warm-up (JIT)
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) fn();
  return (performance.now() - t0) / repeats;
}

function main(): void {
  const seconds = 60;
  const { logProbs, frames } = synthesize(seconds, 1);
  const lmPath = process.argv[2] ?? defaultModels().languageModel ?? 'models/lm/en-3gram.hklm';
  let lm: NgramLM | null = null;
  if (existsSync(lmPath)) {
    const t0 = performance.now();
    lm = loadLanguageModelFile(lmPath);
    console.log(`LM ${lmPath}: ${lm.counts.join('/')} n-grams loaded in ${(performance.now() - t0).toFixed(0)} ms`);
  } else {
    console.log(`LM ${lmPath} not found: LM rows skipped`);
  }
  console.log(`${seconds} s of synthetic audio = ${frames} frames of 30 ms, vocabulary ${V}`);
  const report = (name: string, ms: number): void => {
    const perSec = ms / seconds;
    console.log(`${name.padEnd(34)} ${perSec.toFixed(3).padStart(8)} ms per audio second  ` +
      `${(ms / frames * 1000).toFixed(1).padStart(7)} µs/frame  ${(1000 / perSec).toFixed(0).padStart(7)}x real time`);
  };
  report('greedy', time(() => greedyDecode(logProbs, frames), 20));
  const beam = (opts: BeamSearchOptions, chunk: number): number =>
    time(() => {
      const d = new BeamSearchDecoder(opts);
      for (let f = 0; f < frames; f += chunk) {
        const n = Math.min(chunk, frames - f);
        d.acceptFrames(logProbs.subarray(f * V, (f + n) * V), n);
        d.partial();
      }
      d.finalize();
    }, 5);
  report('beam 16, no LM', beam({}, 16));
  if (lm) {
    report('beam 16 + 3-gram LM', beam({ lm }, 16));
    const hotwords = ['hearken', 'kubernetes', 'tensorflow', 'wikipedia', 'new york', 'san francisco', 'onnx', 'gutenberg', 'ljspeech', 'the way']
      .map((phrase) => ({ phrase, boost: 4 }));
    report('beam 16 + LM + 10 hotwords', beam({ lm, hotwords }, 16));
    report('beam 16 + LM, 1-frame chunks', beam({ lm }, 1));
    report('beam 64 + LM', beam({ lm, beamWidth: 64 }, 16));
    report('beam 16 + LM, no blank skip', beam({ lm, blankSkipProb: 2 }, 16));
  }
}

main();
