/** Hearken's public API: recognizer streams, batch transcription, the server, and the building blocks. */
export {
  createRecognizer,
  defaultModels,
  Recognizer,
  RecognizerStream,
  StreamStateError,
  mergeResults,
  DEFAULT_ENDPOINT_CONFIG,
  EndpointConfigError,
  type RecognizerOptions,
  type StreamOptions,
  type EndpointConfig,
  type RecognitionResult,
  type PartialResult,
  type WordResult,
  type Alternative,
  type FileTranscript,
  type FileTranscriptionOptions,
} from './recognizer/index.js';
export { transcribeFiles, type BatchOptions } from './recognizer/batch.js';
export { createServer } from './server/index.js';
export { TranscriptionQueue, TranscriptionWorker, QueueWorkerMetrics, QueueConnectionError, transcriptionJobId, type TranscriptionQueueOptions, type TranscriptionWorkerOptions, type JobTranscribeOptions, type JobOutcome, type SubmittedJob } from './queue/index.js';
export { formatResult, toSrt, toVtt, wordsToCues, transcriptDocument, OUTPUT_FORMATS, type OutputFormat, type TranscriptDocument, type SegmentDocument } from './output/formats.js';
export { BatchOutput, type BatchOutputOptions } from './output/batch-output.js';
export { outputFileNames } from './output/names.js';
export * from './audio/index.js';
export { MfccExtractor, computeMfcc, DEFAULT_FEATURE_CONFIG, type FeatureConfig, type FeatureFrames } from './features/index.js';
export { AcousticModel, ModelLoadError, WindowBatcher } from './model/index.js';
export { BeamSearchDecoder, type BeamSearchOptions, type Hotword } from './decoder/beam.js';
export { compileGrammar, GrammarError, UNKNOWN_WORD, type Grammar } from './decoder/grammar.js';
export { loadArpa, loadArpaFile, buildArpa, NgramLM, LmFormatError } from './lm/index.js';
export { normalizeText, computeWer, WerAccumulator, writeNumerals, writeNumeralsInText, type NumeralSpan } from './text/index.js';
export { DEFAULT_MASK_WORDS, MaskWordsError, compileWordMask, parseMaskWordList, type WordMask } from './text/index.js';
export { PunctuationModel, punctuateText, defaultPunctuationModel, type Mark } from './punctuation/index.js';
