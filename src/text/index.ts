export { normalizeText, normalizeWords } from './normalize.js';
export { computeWer, editCounts, WerAccumulator, type EditCounts, type WerOptions, type WerResult } from './wer.js';
