import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from '../features/config.js';
import { parseModelCard, type ModelCard } from './card.js';
import { ModelLoadError } from './errors.js';

export interface LoadModelOptions {
  /** Intra-op threads for ONNX Runtime. Default 1: streams scale by running more of them, not by splitting one. */
  intraOpThreads?: number;
  /** The front end that will feed the model; loading fails if the card's differs. Default: Hearken's. */
  featureConfig?: FeatureConfig;
}

/** Forward-direction states of every layer for a batch of streams, as the graph takes them. */
export type ModelStates = Float32Array[];

export interface WindowOutput {
  /** [batch, chunkFrames, vocabulary] log-probabilities, row-major. */
  logProbs: Float32Array;
  states: ModelStates;
}

/**
 * One loaded acoustic model: its card and one ORT session that every stream shares.
 * `runWindows` takes a batch of windows of chunk + look-ahead steps and their carried states.
 */
export class AcousticModel {
  readonly card: ModelCard;
  readonly dir: string;
  private readonly session: ort.InferenceSession;
  /** Elements of one stream's state tensor: layers × hidden. */
  readonly stateSize: number;
  readonly windowSteps: number;

  private constructor(dir: string, card: ModelCard, session: ort.InferenceSession) {
    this.dir = dir;
    this.card = card;
    this.session = session;
    this.stateSize = card.layers * card.hidden;
    this.windowSteps = card.chunkFrames + card.lookaheadFrames;
  }

  static async load(dir: string, options: LoadModelOptions = {}): Promise<AcousticModel> {
    const root = resolve(dir);
    const cardPath = join(root, 'model.json');
    let text: string;
    try {
      text = await readFile(cardPath, 'utf8');
    } catch (cause) {
      throw new ModelLoadError('NOT_FOUND', `no model at ${root}: cannot read model.json (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new ModelLoadError('BAD_CARD', `${cardPath} is not valid JSON (truncated?): ${(cause as Error).message}`, { cause });
    }
    const card = parseModelCard(json, options.featureConfig ?? DEFAULT_FEATURE_CONFIG);
    const onnxPath = join(root, card.onnx.file);
    const info = await stat(onnxPath).catch(() => null);
    if (!info?.isFile()) throw new ModelLoadError('NOT_FOUND', `${onnxPath} is missing`);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(onnxPath, {
        intraOpNumThreads: options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (cause) {
      throw new ModelLoadError('BAD_ONNX', `${onnxPath} could not be loaded by ONNX Runtime (truncated or corrupt?): ${String(cause)}`, { cause });
    }
    const missing = [card.onnx.inputs.features, ...card.onnx.inputs.states].filter((n) => !session.inputNames.includes(n));
    const missingOut = [card.onnx.outputs.logProbs, ...card.onnx.outputs.states].filter((n) => !session.outputNames.includes(n));
    if (missing.length + missingOut.length > 0) {
      await session.release();
      throw new ModelLoadError('BAD_ONNX', `${onnxPath} lacks the tensors model.json names: ${[...missing, ...missingOut].join(', ')}`);
    }
    return new AcousticModel(root, card, session);
  }

  /** Zero states for `batch` streams. */
  initialStates(batch = 1): ModelStates {
    return this.card.onnx.inputs.states.map(() => new Float32Array(this.stateSize * batch));
  }

  /**
   * Runs `batch` windows at once. `features` is [batch, chunk + look-ahead, inputDim] of raw stacked features;
   * `states` holds, per state tensor, [layers, batch, hidden].
   */
  async runWindows(features: Float32Array, states: ModelStates, batch: number): Promise<WindowOutput> {
    const { card } = this;
    const feeds: Record<string, ort.Tensor> = {
      [card.onnx.inputs.features]: new ort.Tensor('float32', features, [batch, this.windowSteps, card.inputDim]),
    };
    card.onnx.inputs.states.forEach((name, i) => {
      feeds[name] = new ort.Tensor('float32', states[i]!, [card.layers, batch, card.hidden]);
    });
    const out = await this.session.run(feeds);
    const logProbs = out[card.onnx.outputs.logProbs]!.data as Float32Array;
    return { logProbs, states: card.onnx.outputs.states.map((name) => out[name]!.data as Float32Array) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
