export { BeamSearchDecoder, type BeamSearchOptions, type BeamSearchResult, type WordTiming } from './beam.js';
export { greedyDecode, type GreedyResult } from './greedy.js';
export { HotwordTrie, type Hotword } from './hotwords.js';
export { compileGrammar, normalizeGrammar, GrammarError, GrammarView, UNKNOWN_WORD, type Grammar, type GrammarSpec } from './grammar.js';
export { BLANK, DEFAULT_VOCABULARY, SPACE, spaceIndex, tokensToText } from './vocabulary.js';
