/** Decoded audio: one Float32Array per channel, samples in [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
  /** Human-readable description of the source encoding, e.g. "WAV PCM 16-bit". */
  encoding: string;
}

/** The pipeline's working rate. */
export const TARGET_SAMPLE_RATE = 16_000;

/** Rates outside this range are refused as nonsense rather than resampled. */
export const MIN_SAMPLE_RATE = 1_000;
export const MAX_SAMPLE_RATE = 768_000;
