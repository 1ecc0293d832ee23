export { AcousticModel, type LoadModelOptions, type ModelStates, type WindowOutput } from './acoustic-model.js';
export { parseModelCard, type ModelCard } from './card.js';
export { ChunkedEncoder, directRunner, type StepEncoder, type StepLogProbs, type WindowRunner } from './encoder.js';
export { createStepEncoder, drainEncoder, encodeUtterance, type StepEncoderOptions } from './step-encoder.js';
export { PhaseEnsembleEncoder } from './phase-ensemble.js';
export { WindowBatcher } from './batcher.js';
export { ModelLoadError, type ModelErrorCode } from './errors.js';
