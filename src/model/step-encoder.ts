import type { FeatureFrames } from '../features/mfcc.js';
import type { AcousticModel } from './acoustic-model.js';
import { ChunkedEncoder, directRunner, type StepEncoder, type WindowRunner } from './encoder.js';
import { PhaseEnsembleEncoder } from './phase-ensemble.js';
import { concatFloat32 } from '../util/float32.js';

export interface StepEncoderOptions {
  /** Run the model at every stacking phase and average (PhaseEnsembleEncoder). Default false. */
  phaseEnsemble?: boolean;
}

/** The encoder a stream uses: the plain chunked model, or the phase ensemble of it. */
export function createStepEncoder(model: AcousticModel, runner: WindowRunner = directRunner, options: StepEncoderOptions = {}): StepEncoder {
  return options.phaseEnsemble ? new PhaseEnsembleEncoder(model, runner) : new ChunkedEncoder(model, runner);
}

/** Log-probabilities of every step of a whole utterance: the streaming path run to the end in one go. */
export async function encodeUtterance(
  model: AcousticModel,
  frames: FeatureFrames,
  runner: WindowRunner = directRunner,
  options: StepEncoderOptions = {},
): Promise<Float32Array> {
  const encoder = createStepEncoder(model, runner, options);
  encoder.pushFrames(frames);
  encoder.finishInput();
  return drainEncoder(encoder);
}

/** Everything an encoder can produce now, its steps' log-probs back to back. */
export async function drainEncoder(encoder: StepEncoder): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  while (encoder.ready()) {
    const out = await encoder.next();
    if (out) parts.push(out.data);
  }
  return concatFloat32(parts);
}
