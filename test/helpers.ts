import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export { rng } from '../src/util/random.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SAMPLES = join(ROOT, 'audio-samples');
export const SAMPLE_MANIFEST = join(SAMPLES, 'manifest.tsv');

export function tempDir(prefix = 'hearken-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}


/** Cuts [0, length) into random packet sizes, including single samples. */
export function randomSplits(length: number, random: () => number, maxPacket = 4000): number[] {
  const cuts: number[] = [];
  let pos = 0;
  while (pos < length) {
    const r = random();
    const size = r < 0.1 ? 1 : r < 0.2 ? 1 + Math.floor(random() * 7) : 1 + Math.floor(random() * maxPacket);
    pos = Math.min(length, pos + size);
    cuts.push(pos);
  }
  return cuts;
}

export function sine(freq: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const n = Math.round(rate * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
}

export const TINY_MODEL = join(ROOT, 'test', 'fixtures', 'tiny-model');

/** Model folders under models/ (each with model.json), i.e. the shipped acoustic models. */
export function shippedModels(): string[] {
  const dir = join(ROOT, 'models');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => existsSync(join(path, 'model.json')));
}

/** The model named in models/default.json, or null before one ships. */
export function defaultModelDir(): string | null {
  const path = join(ROOT, 'models', 'default.json');
  if (!existsSync(path)) return null;
  const json = JSON.parse(readFileSync(path, 'utf8')) as { acousticModel: string };
  return join(ROOT, 'models', json.acousticModel);
}

export { concatFloat32 } from '../src/util/float32.js';
