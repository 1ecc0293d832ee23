import type { FeatureFrames } from '../features/mfcc.js';
import type { AcousticModel, ModelStates } from './acoustic-model.js';
import type { ModelCard } from './card.js';
import { concatFloat32 } from '../util/float32.js';
import { SlidingCmn } from '../features/sliding-cmn.js';

/** Log-probabilities for consecutive model steps: `steps` rows of `vocab` values. */
export interface StepLogProbs {
  data: Float32Array;
  steps: number;
  vocab: number;
  /** Index of the first row in the stream. */
  firstStep: number;
}

/** Something that can run a window for one stream: the model itself or a batcher in front of it. */
export interface WindowRunner {
  run(model: AcousticModel, window: Float32Array, states: ModelStates): Promise<{ logProbs: Float32Array; states: ModelStates }>;
}

/** Runs each window alone. */
export const directRunner: WindowRunner = {
  run: (model, window, states) => model.runWindows(window, states, 1),
};

/**
 * Per-stream state of the latency-controlled BLSTM: stacks 10 ms frames into model steps, cuts them into
 * windows of chunk + look-ahead steps, carries the forward states, and pads the end with the mean vector
 * (zero after the model's normalisation), exactly as training did (docs/model-format.md).
 */
export class ChunkedEncoder {
  private readonly card: ModelCard;
  private readonly stepDim: number;
  private readonly frameDim: number;
  /** Stacked steps not yet fully consumed; step `bufferStart` of the stream is at index 0. */
  private steps: Float32Array;
  private stepCount = 0;
  private bufferStart = 0;
  /** 10 ms frames waiting for a full stack. */
  private readonly partial: Float32Array;
  private partialFrames = 0;
  private states: ModelStates;
  private inputDone = false;
  private emitted = 0;
  private readonly window: Float32Array;
  private readonly padStep: Float32Array;
  /** The model's sliding mean normalisation of the raw frames, when it was trained with one. */
  private readonly cmn: SlidingCmn | null;

  constructor(private readonly model: AcousticModel, private readonly runner: WindowRunner = directRunner) {
    this.card = model.card;
    this.stepDim = this.card.inputDim;
    this.frameDim = this.card.featureConfig.mfccCoefficients;
    this.steps = new Float32Array(this.stepDim * model.windowSteps * 4);
    this.partial = new Float32Array(this.stepDim);
    this.states = model.initialStates(1);
    this.window = new Float32Array(model.windowSteps * this.stepDim);
    this.padStep = Float32Array.from(this.card.normalization.mean);
    this.cmn = this.card.cmn ? new SlidingCmn(this.card.cmn) : null;
  }

  /** Steps produced so far (each `frameShiftMs` long). */
  get stepsEmitted(): number {
    return this.emitted;
  }

  pushFrames(frames: FeatureFrames): void {
    if (this.inputDone) throw new Error('ChunkedEncoder.pushFrames() after finishInput()');
    // normalised on a copy: the caller's frames may be shared (features are computed once per stream)
    if (this.cmn) frames = this.cmn.apply({ data: frames.data.slice(0, frames.frames * this.frameDim), frames: frames.frames, dim: this.frameDim });
    for (let f = 0; f < frames.frames; f++) {
      this.partial.set(frames.data.subarray(f * this.frameDim, (f + 1) * this.frameDim), this.partialFrames * this.frameDim);
      this.partialFrames++;
      if (this.partialFrames === this.card.stack) {
        this.appendStep(this.partial);
        this.partialFrames = 0;
      }
    }
  }

  /** No more audio: the trailing partial stack is dropped and the last windows will be padded. */
  finishInput(): void {
    this.inputDone = true;
    this.partialFrames = 0;
  }

  /** Whether `next()` would produce output now. */
  ready(): boolean {
    const available = this.bufferStart + this.stepCount - this.emitted;
    if (this.inputDone) return available > 0;
    return available >= this.model.windowSteps;
  }

  /** Runs the next window and returns its chunk's log-probs (trimmed to real steps at the end), or null. */
  async next(): Promise<StepLogProbs | null> {
    if (!this.ready()) return null;
    const { chunkFrames } = this.card;
    const offset = this.emitted - this.bufferStart;
    const have = Math.min(this.stepCount - offset, this.model.windowSteps);
    this.window.set(this.steps.subarray(offset * this.stepDim, (offset + have) * this.stepDim));
    for (let s = have; s < this.model.windowSteps; s++) this.window.set(this.padStep, s * this.stepDim);
    const out = await this.runner.run(this.model, this.window, this.states);
    this.states = out.states;
    const real = Math.min(chunkFrames, this.stepCount - offset);
    const vocab = this.card.vocabulary.length;
    const result: StepLogProbs = { data: out.logProbs.slice(0, real * vocab), steps: real, vocab, firstStep: this.emitted };
    this.emitted += real;
    this.discardConsumed();
    return result;
  }

  reset(): void {
    this.stepCount = 0;
    this.bufferStart = 0;
    this.partialFrames = 0;
    this.emitted = 0;
    this.inputDone = false;
    this.states = this.model.initialStates(1);
    this.cmn?.reset();
  }

  private appendStep(step: Float32Array): void {
    const needed = (this.stepCount + 1) * this.stepDim;
    if (needed > this.steps.length) {
      const grown = new Float32Array(this.steps.length * 2);
      grown.set(this.steps.subarray(0, this.stepCount * this.stepDim));
      this.steps = grown;
    }
    this.steps.set(step, this.stepCount * this.stepDim);
    this.stepCount++;
  }

  private discardConsumed(): void {
    const drop = this.emitted - this.bufferStart;
    if (drop <= 0) return;
    this.steps.copyWithin(0, drop * this.stepDim, this.stepCount * this.stepDim);
    this.stepCount -= drop;
    this.bufferStart = this.emitted;
  }
}

/** Log-probabilities of every step of a whole utterance: the streaming path run to the end in one go. */
export async function encodeUtterance(model: AcousticModel, frames: FeatureFrames, runner: WindowRunner = directRunner): Promise<Float32Array> {
  const encoder = new ChunkedEncoder(model, runner);
  encoder.pushFrames(frames);
  encoder.finishInput();
  const parts: Float32Array[] = [];
  while (encoder.ready()) parts.push((await encoder.next())!.data);
  return concatFloat32(parts);
}
