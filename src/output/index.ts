/** `hearken/output`: transcripts as text, JSON, subtitles, and the batch writer behind `hearken transcribe --out`. */
export {
  formatResult,
  toJson,
  toSrt,
  toVtt,
  wordsToCues,
  transcriptDocument,
  OUTPUT_FORMATS,
  FORMAT_EXTENSIONS,
  type Cue,
  type CueOptions,
  type OutputFormat,
  type TranscriptDocument,
  type SegmentDocument,
} from './formats.js';
export { BatchOutput, type BatchOutputOptions } from './batch-output.js';
export { outputFileNames } from './names.js';
