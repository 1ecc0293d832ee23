import { HearkenError } from '../util/errors.js';

/** Everything that determines the feature frames; saved in every model card and checked when a model loads. */
export interface FeatureConfig {
  /** Input rate in Hz; audio is resampled to it first. */
  sampleRate: number;
  /** Analysis window in samples (a power of two, as meyda requires). */
  frameLength: number;
  /** Hop between frames in samples. */
  hopLength: number;
  /** meyda's windowing function name. */
  window: 'hanning';
  /** Triangular mel filters. */
  melBands: number;
  /** Cepstral coefficients kept (meyda allows at most 40). */
  mfccCoefficients: number;
  /**
   * Samples in [-1, 1] are multiplied by this before analysis. meyda takes ln(x + 1) of each mel energy,
   * which is only a log when x >> 1; at int16 scale every audible band is far above 1, and digital
   * silence lands on ln(1) = 0, a clean floor.
   */
  inputScale: number;
}

/** 32 ms Hann windows every 10 ms at 16 kHz, 40 mel bands, 30 cepstra. */
export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  sampleRate: 16_000,
  frameLength: 512,
  hopLength: 160,
  window: 'hanning',
  melBands: 40,
  mfccCoefficients: 30,
  inputScale: 32_768,
});

export class FeatureConfigError extends HearkenError<'BAD_FEATURE_CONFIG'> {
  constructor(message: string) {
    super('BAD_FEATURE_CONFIG', message);
    this.name = 'FeatureConfigError';
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Validates a config (e.g. read from a model card) and returns a typed copy. */
export function checkFeatureConfig(value: unknown): FeatureConfig {
  if (typeof value !== 'object' || value === null) throw new FeatureConfigError('feature config must be an object');
  const v = value as Record<string, unknown>;
  const num = (key: keyof FeatureConfig): number => {
    const x = v[key];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) {
      throw new FeatureConfigError(`feature config "${key}" must be a positive number, got ${JSON.stringify(x)}`);
    }
    return x;
  };
  const config: FeatureConfig = {
    sampleRate: num('sampleRate'),
    frameLength: num('frameLength'),
    hopLength: num('hopLength'),
    window: 'hanning',
    melBands: num('melBands'),
    mfccCoefficients: num('mfccCoefficients'),
    inputScale: num('inputScale'),
  };
  if (v.window !== 'hanning') throw new FeatureConfigError(`feature config "window" must be "hanning", got ${JSON.stringify(v.window)}`);
  if (!isPowerOfTwo(config.frameLength)) throw new FeatureConfigError(`frameLength ${config.frameLength} must be a power of two`);
  if (!Number.isInteger(config.hopLength) || config.hopLength > config.frameLength) {
    throw new FeatureConfigError(`hopLength ${config.hopLength} must be an integer no larger than frameLength`);
  }
  if (config.mfccCoefficients > 40 || config.mfccCoefficients > config.melBands) {
    throw new FeatureConfigError('mfccCoefficients must be at most 40 and at most melBands');
  }
  return config;
}

/** Lists the fields where two configs differ (empty when they match). */
export function diffFeatureConfig(a: FeatureConfig, b: FeatureConfig): string[] {
  const keys = Object.keys(DEFAULT_FEATURE_CONFIG) as (keyof FeatureConfig)[];
  return keys.filter((k) => a[k] !== b[k]).map((k) => `${k}: ${String(a[k])} vs ${String(b[k])}`);
}

/** Frames a signal of `samples` samples yields once flushed (the last one zero-padded). */
export function frameCount(samples: number, config: FeatureConfig): number {
  if (samples <= 0) return 0;
  if (samples < config.frameLength) return 1;
  return 1 + Math.ceil((samples - config.frameLength) / config.hopLength);
}
