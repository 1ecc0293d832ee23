export { BeamSearchDecoder } from './beam.js';
export { DEFAULT_HOTWORD_BOOST, type BeamSearchOptions } from './beam-options.js';
export type { BeamSearchResult, WordTiming } from './result.js';
export { greedyDecode, type GreedyResult } from './greedy.js';
export { HotwordTrie, type Hotword } from './hotwords.js';
export { compileGrammar, normalizeGrammar, GrammarError, GrammarView, UNKNOWN_WORD, type Grammar, type GrammarSpec } from './grammar.js';
export { BLANK, DEFAULT_VOCABULARY, SPACE, spaceIndex, tokensToText } from './vocabulary.js';
export { GreedyDecoder } from './greedy.js';
export { BeamStreamingDecoder, type StreamingDecoder, type DecoderOutput, type DecoderWord, type UtteranceBoundary, type TextView } from './streaming-decoder.js';
