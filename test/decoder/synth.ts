/** Synthetic CTC posteriors for decoder tests and benchmarks. */
import { DEFAULT_VOCABULARY } from '../../src/decoder/vocabulary.js';
import { rng } from '../../src/util/random.js';

export { rng };

export const V = DEFAULT_VOCABULARY.length;

export function tokenOf(ch: string): number {
  const i = DEFAULT_VOCABULARY.indexOf(ch);
  if (i < 1) throw new Error(`no token for ${JSON.stringify(ch)}`);
  return i;
}

/** One frame: the given token probabilities, the rest of the mass spread evenly. Returns natural logs. */
export function frame(dist: Record<number, number>): Float32Array {
  const row = new Float32Array(V);
  let mass = 0;
  let n = 0;
  for (const p of Object.values(dist)) {
    mass += p;
    n++;
  }
  const rest = Math.max(1 - mass, 1e-6) / (V - n);
  for (let v = 0; v < V; v++) row[v] = Math.log(dist[v] ?? rest);
  return row;
}

export function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.length * V);
  rows.forEach((r, i) => out.set(r, i * V));
  return out;
}

export interface SpellOptions {
  /** Probability of the spoken token on its frame (default 0.95). */
  peak?: number;
  /** Blank frames after each character (default 1). */
  gap?: number;
  /** Blank probability on gap frames (default 0.9995, which triggers blank skipping). */
  blankPeak?: number;
}

/** Frames spelling `text`: each character (space included) on one peaked frame, then blank gap frames. */
export function spell(text: string, o: SpellOptions = {}): Float32Array[] {
  const rows: Float32Array[] = [];
  for (const ch of text) {
    rows.push(frame({ [tokenOf(ch)]: o.peak ?? 0.95 }));
    for (let g = 0; g < (o.gap ?? 1); g++) rows.push(frame({ 0: o.blankPeak ?? 0.9995 }));
  }
  return rows;
}


/**
 * Noisy frames for `text`: each character gets 1-3 frames whose posterior mixes the true token
 * with a random confusable one, separated by variable blank runs.
 */
export function noisy(text: string, seed: number): Float32Array[] {
  const r = rng(seed);
  const rows: Float32Array[] = [];
  for (const ch of text) {
    const tok = tokenOf(ch);
    const other = 1 + Math.floor(r() * (V - 1));
    const reps = 1 + Math.floor(r() * 3);
    for (let k = 0; k < reps; k++) {
      const p = 0.4 + 0.5 * r();
      const q = (1 - p) * r() * 0.8;
      rows.push(frame(other === tok ? { [tok]: p, 0: q } : { [tok]: p, [other]: q, 0: (1 - p - q) * 0.5 }));
    }
    const gaps = Math.floor(r() * 4);
    for (let g = 0; g < gaps; g++) rows.push(frame({ 0: r() < 0.5 ? 0.9995 : 0.7 + 0.25 * r() }));
  }
  return rows;
}

/** A small corpus for test LMs: 'their' / 'there' in contexts that tell them apart. */
export const LM_CORPUS = [
  'they lost their keys',
  'they found their dog over there',
  'put it over there',
  'it is over there now',
  'i saw their house',
  'the book is over there',
  'we left their car there',
  'over there is their home',
  'i met cate today',
  'cate is here',
];
