/**
 * One file through the recognizer's stages, each timed on its own, for the benchmarks that split the real-time
 * factor by stage (recognizer.ts, models-rtf.ts): features (MFCC of the audio with the end padding a finishing
 * stream adds), the acoustic model over the whole utterance, then beam search (with the LM, if any) and, when asked,
 * greedy decoding of the same log-probabilities. CPU time (user + system) of this process is what is counted, so
 * other processes on the machine weigh on it less than on wall time.
 */
import { withEndPadding } from '../src/audio/index.js';
import type { BeamSearchOptions, BeamSearchResult } from '../src/decoder/beam.js';
import { BeamSearchDecoder } from '../src/decoder/beam.js';
import { GreedyDecoder } from '../src/decoder/greedy.js';
import { computeMfcc } from '../src/features/index.js';
import type { NgramLM } from '../src/lm/ngram-lm.js';
import { encodeUtterance, type AcousticModel } from '../src/model/index.js';
import { DEFAULT_END_PADDING } from '../src/recognizer/index.js';

/** What `fn` returns and the CPU seconds (user + system) this process spends in it. */
export function timedCpu<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(t0);
  return { value, seconds: (d.user + d.system) / 1e6 };
}

/** What `fn` resolves to and the CPU seconds (user + system) this process spends until then. */
export async function timedCpuAsync<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.cpuUsage();
  const value = await fn();
  const d = process.cpuUsage(t0);
  return { value, seconds: (d.user + d.system) / 1e6 };
}

/** CPU seconds (user + system) this process spends in `fn`. */
export async function cpuSecondsAsync(fn: () => Promise<void>): Promise<number> {
  return (await timedCpuAsync(fn)).seconds;
}

/** The beam search's weights and pruning; the model supplies the vocabulary, and confidences are never computed. */
export type StageDecoderSettings = Omit<BeamSearchOptions, 'vocabulary' | 'blank' | 'lm' | 'confidence'>;

export interface StageTimingOptions {
  /** The LM fused into the beam search; null: none. */
  lm: NgramLM | null;
  decoder: StageDecoderSettings;
  /** Also time greedy decoding (default false). */
  greedy?: boolean;
}

export interface StageTiming {
  /** CPU seconds per stage; greedyDecoder is null when greedy decoding was not asked for. */
  seconds: { features: number; model: number; beamDecoder: number; greedyDecoder: number | null };
  beam: BeamSearchResult;
  /** The greedy transcript; null when greedy decoding was not asked for. */
  greedyText: string | null;
}

/** Runs one file's 16 kHz `samples` through `model`'s stages, timing each. */
export async function timeStages(model: AcousticModel, samples: Float32Array, options: StageTimingOptions): Promise<StageTiming> {
  const { vocabulary, blank, featureConfig } = model.card;
  // The padding is timed with the features: a stream does this work (noise floor, quiet tail) as it hears the audio.
  const features = timedCpu(() => computeMfcc(withEndPadding(samples, DEFAULT_END_PADDING), featureConfig));
  const logProbs = await timedCpuAsync(() => encodeUtterance(model, features.value));
  const frames = logProbs.value.length / vocabulary.length;
  const greedy = options.greedy
    ? timedCpu(() => {
        const d = new GreedyDecoder(vocabulary, blank);
        d.acceptFrames(logProbs.value, frames);
        return d.finalize().text;
      })
    : null;
  const beam = timedCpu(() => {
    const d = new BeamSearchDecoder({ vocabulary, blank, lm: options.lm, ...options.decoder, confidence: null });
    d.acceptFrames(logProbs.value, frames);
    return d.finalize();
  });
  return {
    seconds: { features: features.seconds, model: logProbs.seconds, beamDecoder: beam.seconds, greedyDecoder: greedy?.seconds ?? null },
    beam: beam.value,
    greedyText: greedy?.value ?? null,
  };
}
