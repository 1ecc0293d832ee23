import { checkFeatureConfig, diffFeatureConfig, FeatureConfigError, type FeatureConfig } from '../features/config.js';
import type { SlidingCmnConfig } from '../features/sliding-cmn.js';
import { ModelLoadError } from './errors.js';

/** What `model.json` says about a model (see docs/model-format.md). */
export interface ModelCard {
  format: 'hearken-lcblstm-1';
  name: string;
  featureConfig: FeatureConfig;
  /** 10 ms frames stacked into one model step. */
  stack: number;
  inputDim: number;
  frameShiftMs: number;
  chunkFrames: number;
  lookaheadFrames: number;
  layers: number;
  hidden: number;
  cell: 'lstm' | 'gru';
  bidirectional: boolean;
  vocabulary: string[];
  blank: number;
  normalization: { mean: number[]; std: number[] };
  /** Sliding-window cepstral mean normalisation of the 10 ms frames before stacking, when the model was trained with it. */
  cmn?: SlidingCmnConfig;
  onnx: {
    file: string;
    inputs: { features: string; states: string[] };
    outputs: { logProbs: string; states: string[] };
  };
}

function fail(message: string): never {
  throw new ModelLoadError('BAD_CARD', `model.json: ${message}`);
}

function int(v: Record<string, unknown>, key: string, min: number): number {
  const x = v[key];
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) fail(`"${key}" must be an integer ≥ ${min}, got ${JSON.stringify(x)}`);
  return x;
}

function strings(x: unknown, what: string): string[] {
  if (!Array.isArray(x) || !x.every((s) => typeof s === 'string')) fail(`${what} must be an array of strings`);
  return x as string[];
}

function numbers(x: unknown, what: string, length: number): number[] {
  if (!Array.isArray(x) || x.length !== length || !x.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    fail(`${what} must be ${length} finite numbers`);
  }
  return x as number[];
}

function parseCmn(x: unknown, coefficients: number): SlidingCmnConfig {
  if (typeof x !== 'object' || x === null) fail('"cmn" must be an object');
  const c = x as Record<string, unknown>;
  return { window: int(c, 'window', 1), priorFrames: int(c, 'priorFrames', 0), priorMean: numbers(c.priorMean, 'cmn.priorMean', coefficients) };
}

/** Validates a parsed model.json and checks it against the front end the runtime will feed it. */
export function parseModelCard(json: unknown, frontEnd?: FeatureConfig): ModelCard {
  if (typeof json !== 'object' || json === null) fail('not a JSON object');
  const v = json as Record<string, unknown>;
  if (v.format !== 'hearken-lcblstm-1') fail(`unknown format ${JSON.stringify(v.format)}; expected "hearken-lcblstm-1"`);
  let featureConfig: FeatureConfig;
  try {
    featureConfig = checkFeatureConfig(v.featureConfig);
  } catch (err) {
    if (err instanceof FeatureConfigError) fail(err.message);
    throw err;
  }
  if (frontEnd) {
    const diff = diffFeatureConfig(featureConfig, frontEnd);
    if (diff.length > 0) {
      throw new ModelLoadError('FEATURE_MISMATCH', `the model was trained on other features than this front end computes (${diff.join('; ')})`);
    }
  }
  const stack = int(v, 'stack', 1);
  const inputDim = int(v, 'inputDim', 1);
  if (inputDim !== stack * featureConfig.mfccCoefficients) fail(`inputDim ${inputDim} ≠ stack ${stack} × ${featureConfig.mfccCoefficients} coefficients`);
  const cell = v.cell;
  if (cell !== 'lstm' && cell !== 'gru') fail(`"cell" must be "lstm" or "gru"`);
  const vocabulary = strings(v.vocabulary, '"vocabulary"');
  if (vocabulary.length < 2) fail('"vocabulary" is too small');
  const blank = int(v, 'blank', 0);
  if (blank >= vocabulary.length) fail('"blank" is outside the vocabulary');
  const norm = v.normalization as Record<string, unknown> | undefined;
  if (typeof norm !== 'object' || norm === null) fail('"normalization" is missing');
  const onnx = v.onnx as Record<string, Record<string, unknown> | string> | undefined;
  if (typeof onnx !== 'object' || onnx === null) fail('"onnx" is missing');
  const inputs = onnx.inputs as Record<string, unknown> | undefined;
  const outputs = onnx.outputs as Record<string, unknown> | undefined;
  if (typeof inputs !== 'object' || typeof outputs !== 'object' || !inputs || !outputs) fail('"onnx.inputs"/"onnx.outputs" are missing');
  const cmn = v.cmn === undefined ? undefined : parseCmn(v.cmn, featureConfig.mfccCoefficients);
  const card: ModelCard = {
    format: 'hearken-lcblstm-1',
    name: typeof v.name === 'string' ? v.name : 'unnamed',
    featureConfig,
    stack,
    inputDim,
    frameShiftMs: int(v, 'frameShiftMs', 1),
    chunkFrames: int(v, 'chunkFrames', 1),
    lookaheadFrames: int(v, 'lookaheadFrames', 0),
    layers: int(v, 'layers', 1),
    hidden: int(v, 'hidden', 1),
    cell,
    bidirectional: v.bidirectional === true,
    vocabulary,
    blank,
    normalization: { mean: numbers(norm.mean, 'normalization.mean', inputDim), std: numbers(norm.std, 'normalization.std', inputDim) },
    ...(cmn ? { cmn } : {}),
    onnx: {
      file: typeof onnx.file === 'string' ? onnx.file : 'model.onnx',
      inputs: {
        features: typeof inputs.features === 'string' ? inputs.features : fail('"onnx.inputs.features" must be a name'),
        states: strings(inputs.states, '"onnx.inputs.states"'),
      },
      outputs: {
        logProbs: typeof outputs.logProbs === 'string' ? outputs.logProbs : fail('"onnx.outputs.logProbs" must be a name'),
        states: strings(outputs.states, '"onnx.outputs.states"'),
      },
    },
  };
  if (card.onnx.inputs.states.length !== card.onnx.outputs.states.length) fail('state inputs and outputs differ in number');
  return card;
}
