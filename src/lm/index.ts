export { ArpaParser, arpaFileBytes, loadArpa, loadArpaFile, parseArpa, type ArpaLoadStats } from './arpa.js';
export { buildArpa, buildArpaWithStats, type BuildOptions, type BuildStats } from './build.js';
export { prepareCorpusLine } from './corpus.js';
export { LmFormatError } from './errors.js';
export { mixArpa, type MixOptions } from './mix.js';
export { NgramLM, DEFAULT_UNK_LOG10, type NgramTable } from './ngram-lm.js';
export { perplexity, sentenceLog10, type PerplexityResult } from './perplexity.js';
export { loadSharedLM, ngramLMFromShared, shareNgramLM, type SharedNgramData } from './shared.js';
