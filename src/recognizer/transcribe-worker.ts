import { workerData } from 'node:worker_threads';
import type { Hotword } from '../decoder/hotwords.js';
import { ngramLMFromShared, type SharedNgramData } from '../lm/shared.js';
import { useSharedPunctuationLm } from '../punctuation/model.js';
import { transcribeFileStream, type FileTranscript } from './file-transcription.js';
import { createRecognizer, type PortableRecognizerOptions, type Recognizer } from './recognizer.js';

export interface TranscribeTask {
  path: string;
  options: PortableRecognizerOptions;
  hotwords: Hotword[];
  grammar?: string[];
  numerals?: boolean;
  punctuate?: boolean;
  maskWords?: string[];
  /** Refuse files longer than this many seconds (FileTranscriptionOptions.maxDuration). */
  maxDuration?: number;
}

export type TranscribeOutcome =
  | { ok: true; result: FileTranscript; audioSeconds: number; computeSeconds: number }
  /** `code`: the error's code where it has one: every HearkenError's (stable, src/errors.ts), and Node's (ENOENT). */
  | { ok: false; error: string; code?: string };

let cached: { key: string; recognizer: Promise<Recognizer> } | null = null;

/** One recognizer per worker thread, loaded on the first task and reused for the rest. */
function recognizerFor(options: PortableRecognizerOptions): Promise<Recognizer> {
  const key = JSON.stringify(options);
  if (!cached || cached.key !== key) {
    // transcribeFiles loads the LM its tasks' options name once, for every thread, when it can
    const shared = (workerData as { sharedLm?: SharedNgramData } | null)?.sharedLm;
    const lm = shared ? ngramLMFromShared(shared) : options.lm;
    cached = { key, recognizer: createRecognizer({ ...options, lm }) };
  }
  return cached.recognizer;
}

// transcribeFiles hands every thread one copy of the punctuation LM when the tasks ask for punctuation
const sharedPunctuationLm = (workerData as { punctuationLm?: SharedNgramData } | null)?.punctuationLm;
if (sharedPunctuationLm) useSharedPunctuationLm(sharedPunctuationLm);

export default async function transcribe(task: TranscribeTask): Promise<TranscribeOutcome> {
  try {
    const recognizer = await recognizerFor(task.options);
    const t0 = performance.now();
    const stream = recognizer.createStream({ hotwords: task.hotwords, grammar: task.grammar, numerals: task.numerals, punctuate: task.punctuate, maskWords: task.maskWords });
    // the file is read, decoded and recognised a piece at a time: compute time includes its decoding
    const { result, source } = await transcribeFileStream(stream, task.path, { maxDuration: task.maxDuration });
    return { ok: true, result, audioSeconds: source.seconds, computeSeconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    if (cached && err instanceof Error && err.name === 'ModelLoadError') cached = null;
    const code = (err as { code?: unknown } | null)?.code;
    return { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), ...(typeof code === 'string' ? { code } : {}) };
  }
}
