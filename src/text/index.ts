export { normalizeText, normalizeWords } from './normalize.js';
export { writeNumerals, writeNumeralsInText, type NumeralSpan } from './numerals.js';
export { computeWer, editCounts, WerAccumulator, type EditCounts, type WerOptions, type WerResult } from './wer.js';
