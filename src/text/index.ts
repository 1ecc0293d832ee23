export { normalizeText, normalizeWords } from './normalize.js';
export { writeNumerals, writeNumeralsInText, type NumeralSpan } from './numerals.js';
export { computeWer, editCounts, WerAccumulator, type EditCounts, type WerOptions, type WerResult } from './wer.js';
export { DEFAULT_MASK_WORDS, MaskWordsError, compileWordMask, parseMaskWordList, type MaskWordsErrorCode, type WordMask } from './mask-words.js';
