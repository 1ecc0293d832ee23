/**
 * A model's feature contract as data: the SHA-256 of the float32 MFCC frames the front end computes for one fixed
 * fixture recording, stored beside the model (`features-golden.json`). A model only works with the features it was
 * trained on; meyda computes them, and meyda is pinned, but an update of it (or of this code) that moves a single
 * bit changes the hash, and test/features/golden.test.ts says so before any accuracy is lost.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FeatureConfig } from './config.js';
import { computeMfcc } from './mfcc.js';

/** The file, in a model folder, that holds its `FeaturesGolden`. */
export const FEATURES_GOLDEN_FILE = 'features-golden.json';

export interface MfccFingerprint {
  frames: number;
  dim: number;
  /** SHA-256 (hex) of the frames' float32 values, row-major, little-endian. */
  sha256: string;
  /** Mean of each coefficient over the frames: when the hash differs, how far the features moved. */
  coefficientMeans: number[];
}

export interface FeaturesGolden extends MfccFingerprint {
  /** The fixture recording, relative to the repository root (a 16 kHz WAV, so no resampler is involved). */
  audio: string;
  /** The feature settings the frames were computed with (the model card's). */
  featureConfig: FeatureConfig;
  /** meyda's version when the golden was written. */
  meyda: string;
}

/** The fingerprint of `samples`' MFCC frames (before any normalisation) under `config`. */
export function mfccFingerprint(samples: Float32Array, config: FeatureConfig): MfccFingerprint {
  const { data, frames, dim } = computeMfcc(samples, config);
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  const means = new Array<number>(dim).fill(0);
  for (let f = 0; f < frames; f++) for (let k = 0; k < dim; k++) means[k]! += data[f * dim + k]! / frames;
  return { frames, dim, sha256: createHash('sha256').update(bytes).digest('hex'), coefficientMeans: means };
}

/** A model folder's golden, or null when it has none. */
export function readFeaturesGolden(modelDir: string): FeaturesGolden | null {
  try {
    return JSON.parse(readFileSync(join(modelDir, FEATURES_GOLDEN_FILE), 'utf8')) as FeaturesGolden;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
