export { AcousticModel, type LoadModelOptions, type ModelStates, type WindowOutput } from './acoustic-model.js';
export { parseModelCard, type ModelCard } from './card.js';
export { ChunkedEncoder, directRunner, encodeUtterance, type StepLogProbs, type WindowRunner } from './encoder.js';
export { WindowBatcher } from './batcher.js';
export { ModelLoadError, type ModelErrorCode } from './errors.js';
