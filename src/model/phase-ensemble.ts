import type { FeatureFrames } from '../features/mfcc.js';
import type { AcousticModel } from './acoustic-model.js';
import { ChunkedEncoder, directRunner, type StepEncoder, type StepLogProbs, type WindowRunner } from './encoder.js';

/**
 * The acoustic model run once per stacking phase and averaged: the model stacks `stack` 10 ms frames into one step,
 * so the same audio can be cut into steps at `stack` offsets, and the model's errors move with the offset (greedy
 * dev CER by up to a point, training/README.md). Member p drops the first p frames; its step k covers raw frames
 * stack·k + p …, a p/stack step later than phase 0's step k, so members past half a step are paired with phase 0's
 * next step instead (step k − 1), keeping every member within half a step of the row it joins. A fused row is the
 * members' mean log-probability, renormalised (a product of experts). The mean of their probabilities was tried
 * too: it helped greedy decoding as much, but it spreads each character's spike over neighbouring steps, and with
 * the LM it did worse than one member (training/README.md, eleventh session).
 *
 * Rows come out on phase 0's grid, as many as phase 0 has, so times, endpoints and lengths are those of the plain
 * encoder; a row that a member cannot supply (its first or last step) is the mean of the others. Each row is
 * emitted once every member's share of it exists, so the output depends only on the audio, never on how it was
 * cut into packets, and the look-ahead grows by at most one 10 ms frame.
 */
export class PhaseEnsembleEncoder implements StepEncoder {
  private readonly members: ChunkedEncoder[] = [];
  /** Member p's row for fused row k is its row k − shift[p]. */
  private readonly shift: number[] = [];
  /** Member p's rows not yet fused: pending[p][0] is its row base[p]. */
  private pending: Float32Array[][] = [];
  private base: number[] = [];
  private framesSeen = 0;
  private inputDone = false;
  private emitted = 0;
  private readonly vocab: number;
  private readonly chunk: number;

  constructor(model: AcousticModel, runner: WindowRunner = directRunner) {
    const { stack } = model.card;
    this.vocab = model.card.vocabulary.length;
    this.chunk = model.card.chunkFrames;
    for (let p = 0; p < stack; p++) {
      this.members.push(new ChunkedEncoder(model, runner));
      this.shift.push(p * 2 > stack ? 1 : 0);
    }
    this.clearRows();
  }

  get stepsEmitted(): number {
    return this.emitted;
  }

  pushFrames(frames: FeatureFrames): void {
    if (this.inputDone) throw new Error('PhaseEnsembleEncoder.pushFrames() after finishInput()');
    this.members.forEach((member, p) => {
      const skip = Math.min(frames.frames, Math.max(0, p - this.framesSeen));
      if (skip === 0) member.pushFrames(frames);
      else if (skip < frames.frames) {
        member.pushFrames({ data: frames.data.subarray(skip * frames.dim), frames: frames.frames - skip, dim: frames.dim });
      }
    });
    this.framesSeen += frames.frames;
  }

  finishInput(): void {
    this.inputDone = true;
    for (const member of this.members) member.finishInput();
  }

  ready(): boolean {
    return this.blockReady() > 0 || this.members.some((m) => m.ready());
  }

  /** The next fused rows, running members' windows until some exist; null when none can be made yet. */
  async next(): Promise<StepLogProbs | null> {
    for (;;) {
      const count = this.blockReady();
      if (count > 0) return this.fuse(count);
      const member = this.members.findIndex((m) => m.ready());
      if (member < 0) return null;
      const out = (await this.members[member]!.next())!;
      for (let s = 0; s < out.steps; s++) {
        this.pending[member]!.push(out.data.subarray(s * out.vocab, (s + 1) * out.vocab));
      }
    }
  }

  reset(): void {
    for (const member of this.members) member.reset();
    this.clearRows();
    this.framesSeen = 0;
    this.inputDone = false;
    this.emitted = 0;
  }

  private clearRows(): void {
    this.pending = this.members.map(() => []);
    this.base = this.members.map(() => 0);
  }

  /**
   * Rows go out in the plain encoder's blocks (one chunk each, the last one shorter), whatever order the members'
   * windows ran in, so that what the decoder sees is the same for every packetisation. Returns the next block's
   * size once all of it can be fused, else 0.
   */
  private blockReady(): number {
    const count = this.fusable();
    const toBlockEnd = this.chunk - (this.emitted % this.chunk);
    if (count >= toBlockEnd) return toBlockEnd;
    const drained = this.inputDone && this.members.every((m) => !m.ready());
    return drained ? count : 0;
  }

  /** How many fused rows every member has supplied, or will never supply, from `emitted` on. */
  private fusable(): number {
    // phase 0 sets the grid: only its rows become fused rows
    let count = this.base[0]! + this.pending[0]!.length - this.emitted;
    for (let p = 1; p < this.members.length && count > 0; p++) {
      const drained = this.inputDone && !this.members[p]!.ready();
      if (drained) continue;
      const have = this.base[p]! + this.pending[p]!.length + this.shift[p]!;
      count = Math.min(count, have - this.emitted);
    }
    return Math.max(0, count);
  }

  private fuse(count: number): StepLogProbs {
    const V = this.vocab;
    const data = new Float32Array(count * V);
    for (let r = 0; r < count; r++) {
      const k = this.emitted + r;
      const rows: Float32Array[] = [];
      this.members.forEach((_, p) => {
        const row = this.pending[p]![k - this.shift[p]! - this.base[p]!];
        if (row) rows.push(row);
      });
      // the members' mean log-probability, renormalised: a product of experts
      let norm = -Infinity;
      for (let v = 0; v < V; v++) {
        let sum = 0;
        for (const row of rows) sum += row[v]!;
        const mean = sum / rows.length;
        data[r * V + v] = mean;
        norm = logAddExp(norm, mean);
      }
      for (let v = 0; v < V; v++) data[r * V + v] = data[r * V + v]! - norm;
    }
    const result: StepLogProbs = { data, steps: count, vocab: V, firstStep: this.emitted };
    this.emitted += count;
    // rows of fused steps are no longer needed (a member's row k − shift serves fused row k only)
    this.members.forEach((_, p) => {
      const drop = Math.max(0, Math.min(this.pending[p]!.length, this.emitted - this.shift[p]! - this.base[p]!));
      this.pending[p]!.splice(0, drop);
      this.base[p] = this.base[p]! + drop;
    });
    return result;
  }
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}
