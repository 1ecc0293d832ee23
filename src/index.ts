/**
 * Hearken's public API: what an app needs to recognise speech. Recognizers and their streams, batch
 * transcription of files, the WebSocket server, output formats, and the errors an app catches (all
 * HearkenErrors with a stable `code`; src/errors.ts lists them).
 *
 * The building blocks have subpaths of their own: `hearken/audio` (decoding, resampling), `hearken/features`
 * (MFCCs), `hearken/model` (the acoustic model), `hearken/decoder` (beam search, grammars, hotwords),
 * `hearken/lm` (n-gram LMs), `hearken/text` (normalising, WER, numerals, word masks), `hearken/punctuation`,
 * `hearken/output` (cues, batch output), `hearken/queue` (the Redis job queue) and `hearken/testing`.
 */
export {
  createRecognizer,
  defaultModels,
  Recognizer,
  RecognizerStream,
  mergeResults,
  DEFAULT_ENDPOINT_CONFIG,
  type RecognizerOptions,
  type PortableRecognizerOptions,
  type StreamOptions,
  type EndpointConfig,
  type RecognitionResult,
  type PartialResult,
  type WordResult,
  type Alternative,
  type FileTranscript,
  type FileTranscriptionOptions,
} from './recognizer/index.js';
export type { Hotword } from './decoder/hotwords.js';
export { transcribeFiles, type BatchOptions } from './recognizer/batch.js';
export type { TranscribeOutcome } from './recognizer/transcribe-worker.js';
export { createServer, type ServerOptions, type HearkenServer } from './server/index.js';
export { formatResult, toSrt, toVtt, OUTPUT_FORMATS, type OutputFormat, type TranscriptDocument, type SegmentDocument } from './output/formats.js';
export { DEFAULT_MASK_WORDS } from './text/mask-words.js';
export {
  HearkenError,
  OptionsError,
  EndpointConfigError,
  ModelLoadError,
  AudioFormatError,
  StreamStateError,
  GrammarError,
  MaskWordsError,
  type HearkenErrorCode,
} from './errors.js';
