/**
 * Every error class Hearken throws on purpose, and every `code` they carry. Each is a HearkenError, so an app can
 * catch them all with one `instanceof` and tell them apart by `code`, a string that stays the same across
 * releases (messages may be reworded). The package root exports the ones an app meets; the others come with
 * the subpath that throws them (`hearken/lm`, `hearken/features`, ...).
 *
 * | class                | codes                                                                            |
 * | -------------------- | -------------------------------------------------------------------------------- |
 * | OptionsError         | INVALID_OPTION (a bad recognizer or stream option, wherever it came in)          |
 * | EndpointConfigError  | INVALID_OPTION (an OptionsError: a bad endpoint setting)                         |
 * | ModelLoadError       | NOT_FOUND, BAD_CARD, FEATURE_MISMATCH, BAD_ONNX, RUNTIME, DEFAULT_MODEL_INVALID  |
 * | AudioFormatError     | see AudioErrorCode (EMPTY, NOT_RIFF, ..., NON_FINITE_SAMPLE)                     |
 * | StreamStateError     | STREAM_FINISHED, SAMPLE_RATE_CHANGED                                             |
 * | GrammarError         | BAD_GRAMMAR                                                                      |
 * | MaskWordsError       | BAD_MASK_WORD, TOO_MANY_MASK_WORDS                                               |
 * | QueueConnectionError | BAD_REDIS_URL, REDIS_UNREACHABLE                                                 |
 * | LmFormatError        | BAD_ARPA                                                                         |
 * | LmBinaryError        | BAD_LM_BINARY                                                                    |
 * | FeatureConfigError   | BAD_FEATURE_CONFIG                                                               |
 * | PauseCueError        | BAD_PAUSE_CUE                                                                    |
 * | ManifestError        | BAD_MANIFEST                                                                     |
 * | ProtocolError        | INVALID_PAYLOAD, UNSUPPORTED_DATA (the server's; sent to clients, never thrown to apps) |
 */
import type { AudioErrorCode } from './audio/errors.js';
import type { MaskWordsErrorCode } from './text/mask-words.js';
import type { ModelErrorCode } from './model/errors.js';
import type { ProtocolErrorCode } from './server/protocol.js';
import type { QueueConnectionErrorCode } from './queue/connection.js';
import type { StreamStateErrorCode } from './recognizer/stream.js';

export { HearkenError } from './util/errors.js';
export { OptionsError } from './util/options-error.js';
export { EndpointConfigError } from './recognizer/endpoint.js';
export { ModelLoadError, type ModelErrorCode } from './model/errors.js';
export { AudioFormatError, type AudioErrorCode } from './audio/errors.js';
export { StreamStateError, type StreamStateErrorCode } from './recognizer/stream.js';
export { GrammarError } from './decoder/grammar.js';
export { MaskWordsError, type MaskWordsErrorCode } from './text/mask-words.js';
export { QueueConnectionError, type QueueConnectionErrorCode } from './queue/connection.js';
export { LmBinaryError, LmFormatError } from './lm/errors.js';
export { FeatureConfigError } from './features/config.js';
export { PauseCueError } from './punctuation/viterbi.js';
export { ManifestError } from './util/manifest.js';
export { ProtocolError, type ProtocolErrorCode } from './server/protocol.js';

/** Every `code` a HearkenError can carry. */
export type HearkenErrorCode =
  | 'INVALID_OPTION'
  | ModelErrorCode
  | AudioErrorCode
  | StreamStateErrorCode
  | 'BAD_GRAMMAR'
  | MaskWordsErrorCode
  | QueueConnectionErrorCode
  | 'BAD_ARPA'
  | 'BAD_LM_BINARY'
  | 'BAD_FEATURE_CONFIG'
  | 'BAD_PAUSE_CUE'
  | 'BAD_MANIFEST'
  | ProtocolErrorCode;
