export { AudioFormatError, type AudioErrorCode } from './errors.js';
export { TARGET_SAMPLE_RATE, type DecodedAudio } from './types.js';
export { decodeWav, encodeWav16, parseWavLayout, parseWavStreamHeader, type WavStreamHeader } from './wav.js';
export { decodeAudio, detectContainer, prepareAudio, readAudioFile, type PreparedAudio } from './decode.js';
export { downmix } from './downmix.js';
export { Resampler, resample } from './resampler.js';
export { PcmStreamDecoder, type PcmEncoding, type PcmStreamOptions } from './pcm-stream.js';
export { AudioByteStream } from './byte-stream.js';
export { NOISE_FLOOR_BLOCK, NoiseFloor, quietNoise, withEndPadding } from './noise-floor.js';
