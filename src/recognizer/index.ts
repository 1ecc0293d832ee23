export { Recognizer, createRecognizer, defaultModels, MODELS_DIR, DEFAULT_END_PADDING, type RecognizerOptions, type PortableRecognizerOptions, type StreamOptions } from './recognizer.js';
export { RecognizerStream, StreamStateError, emptyResult, mergeResults } from './stream.js';
export { DEFAULT_ENDPOINT_CONFIG, EndpointConfigError, type EndpointConfig } from './endpoint.js';
export type { Alternative, PartialResult, RecognitionResult, WordResult } from './types.js';
export { transcribeFileStream, type FileTranscript, type FileTranscriptionOptions } from './file-transcription.js';
