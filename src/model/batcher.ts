import type { AcousticModel, ModelStates } from './acoustic-model.js';
import type { WindowRunner } from './encoder.js';

interface Pending {
  window: Float32Array;
  states: ModelStates;
  resolve: (out: { logProbs: Float32Array; states: ModelStates }) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the windows that streams submit within one event-loop turn and runs them as one batched ORT call:
 * with many live streams, one call over B windows costs far less than B calls.
 */
export class WindowBatcher implements WindowRunner {
  private queue = new Map<AcousticModel, Pending[]>();
  private scheduled = false;

  constructor(private readonly maxBatch = 32) {}

  run(model: AcousticModel, window: Float32Array, states: ModelStates): Promise<{ logProbs: Float32Array; states: ModelStates }> {
    return new Promise((resolve, reject) => {
      const list = this.queue.get(model) ?? [];
      // The window buffer is reused by its stream after this resolves, so keep a copy.
      list.push({ window: window.slice(), states, resolve, reject });
      this.queue.set(model, list);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = new Map();
    for (const [model, pending] of queue) {
      for (let i = 0; i < pending.length; i += this.maxBatch) void this.runBatch(model, pending.slice(i, i + this.maxBatch));
    }
  }

  private async runBatch(model: AcousticModel, batch: Pending[]): Promise<void> {
    const { card } = model;
    const B = batch.length;
    const H = card.hidden;
    const L = card.layers;
    const V = card.vocabulary.length;
    const C = card.chunkFrames;
    try {
      const windowSize = batch[0]!.window.length;
      const features = new Float32Array(windowSize * B);
      batch.forEach((p, b) => features.set(p.window, b * windowSize));
      const states = batch[0]!.states.map((_, s) => {
        const packed = new Float32Array(L * B * H);
        batch.forEach((p, b) => {
          for (let l = 0; l < L; l++) packed.set(p.states[s]!.subarray(l * H, (l + 1) * H), (l * B + b) * H);
        });
        return packed;
      });
      const out = await model.runWindows(features, states, B);
      batch.forEach((p, b) => {
        const own = out.states.map((packed) => {
          const mine = new Float32Array(L * H);
          for (let l = 0; l < L; l++) mine.set(packed.subarray((l * B + b) * H, (l * B + b + 1) * H), l * H);
          return mine;
        });
        p.resolve({ logProbs: out.logProbs.slice(b * C * V, (b + 1) * C * V), states: own });
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
