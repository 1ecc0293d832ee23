import { AudioFileStream, type AudioSource } from '../audio/file-stream.js';
import { TARGET_SAMPLE_RATE } from '../audio/types.js';
import { mergeResults, type RecognizerStream } from './stream.js';
import type { RecognitionResult } from './types.js';

/** A whole file's result: the merged text and words, and each utterance with speech on its own. */
export interface FileTranscript extends RecognitionResult {
  /** The utterances that hold speech, in order, each with its own times, words and alternatives. */
  segments: RecognitionResult[];
}

export interface FileTranscriptionOptions {
  /** Refuse files with more than this many seconds of audio (AudioFormatError `TOO_LONG`). Default: no limit. */
  maxDuration?: number;
}

/**
 * Transcribes a file with `stream` (fresh, not yet fed), reading and decoding it a piece at a time and taking
 * each utterance as soon as an endpoint ends it: memory stays bounded however long the file is. The result
 * equals `stream.finish()` after the whole decoded file in one `acceptWaveform`, since a stream's results do not
 * depend on how its audio is cut.
 */
export async function transcribeFileStream(
  stream: RecognizerStream,
  path: string,
  options: FileTranscriptionOptions = {},
): Promise<{ result: FileTranscript; source: AudioSource }> {
  const audio = await AudioFileStream.open(path, { maxSeconds: options.maxDuration });
  const utterances: RecognitionResult[] = [];
  for await (const samples of audio.samples()) {
    stream.acceptWaveform(samples, TARGET_SAMPLE_RATE);
    await stream.decode();
    while (stream.hasResult()) utterances.push(stream.popResult()!);
  }
  utterances.push(...(await stream.finishUtterances()));
  const merged = mergeResults(utterances);
  return { result: { ...merged, segments: utterances.filter((u) => u.text !== '') }, source: audio.source };
}
