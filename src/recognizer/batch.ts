import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { normalizeGrammar } from '../decoder/grammar.js';
import type { Hotword } from '../decoder/hotwords.js';
import { loadSharedLM } from '../lm/shared.js';
import { compileWordMask } from '../text/mask-words.js';
import { PUNCTUATION_DIR, PUNCTUATION_LM_FILE } from '../punctuation/model.js';
import { siblingWorker } from '../util/worker-path.js';
import { checkRecognizerOptions, checkStreamOptions } from './options-validation.js';
import { languageModelPath } from './recognizer.js';
import type { PortableRecognizerOptions } from './recognizer.js';
import type { TranscribeOutcome, TranscribeTask } from './transcribe-worker.js';

export interface BatchOptions {
  recognizer?: PortableRecognizerOptions;
  hotwords?: Hotword[];
  /** Restrict recognition to these phrases (see StreamOptions.grammar). A bad list throws before any work. */
  grammar?: string[];
  /** Numbers as numerals ("1984", "21st"; see StreamOptions.numerals). */
  numerals?: boolean;
  /** Punctuation and case for display (see StreamOptions.punctuate). */
  punctuate?: boolean;
  /** Words shown as asterisks (see StreamOptions.maskWords). A bad list throws before any work. */
  maskWords?: string[];
  /** Refuse files longer than this many seconds: their outcome has code `TOO_LONG` (FileTranscriptionOptions). */
  maxDuration?: number;
  /** Worker threads; default min(files, cores). */
  workers?: number;
  /** Called as each file finishes, in completion order. */
  onResult?: (path: string, outcome: TranscribeOutcome, index: number) => void;
}

/** Transcribes files on a pool of worker threads, one recognizer per thread. Never throws for a bad file. */
export async function transcribeFiles(paths: readonly string[], options: BatchOptions = {}): Promise<TranscribeOutcome[]> {
  // bad options are one error now, not one per file: the checks createRecognizer and createStream make
  checkRecognizerOptions(options.recognizer ?? {});
  checkStreamOptions({ hotwords: options.hotwords, grammar: options.grammar, numerals: options.numerals, punctuate: options.punctuate });
  if (options.grammar) normalizeGrammar(options.grammar); // a bad grammar is one error now, not one per file
  if (options.maskWords) compileWordMask(options.maskWords); // ... and so is a bad list of words to mask
  const worker = siblingWorker(import.meta.url, 'transcribe-worker');
  const threads = Math.max(1, options.workers ?? Math.min(paths.length, availableParallelism()));
  // Several threads share one copy of the LM. If it fails to load here, each thread loads it itself and
  // reports the failure per file, as it would without sharing.
  const lmPath = threads > 1 ? languageModelPath(options.recognizer ?? {}) : null;
  const sharedLm = lmPath === null ? undefined : await loadSharedLM(lmPath).catch(() => undefined);
  // ... and so does the punctuation LM when it is asked for
  const punctuationLm = options.punctuate && threads > 1 ? await loadSharedLM(join(PUNCTUATION_DIR, PUNCTUATION_LM_FILE)).catch(() => undefined) : undefined;
  const pool = new Piscina<TranscribeTask, TranscribeOutcome>({
    filename: worker.filename,
    workerData: { ...worker.workerData, sharedLm, punctuationLm },
    maxThreads: threads,
    minThreads: 1,
    idleTimeout: 1000,
  });
  try {
    return await Promise.all(
      paths.map(async (path, index) => {
        const outcome = await pool
          .run({ path, options: options.recognizer ?? {}, hotwords: options.hotwords ?? [], grammar: options.grammar, numerals: options.numerals, punctuate: options.punctuate, maskWords: options.maskWords, maxDuration: options.maxDuration })
          .catch((err: unknown): TranscribeOutcome => ({ ok: false, error: `worker failed: ${String(err)}` }));
        options.onResult?.(path, outcome, index);
        return outcome;
      }),
    );
  } finally {
    await pool.destroy();
  }
}
