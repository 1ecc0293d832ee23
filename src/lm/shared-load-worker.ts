/** Thread body for `loadSharedLM`: load, copy into shared memory, post, exit (taking the load's heap along). */
import { parentPort, workerData } from 'node:worker_threads';
import { loadLanguageModelFile } from './load.js';
import { shareNgramLM } from './shared.js';

const { path } = workerData as { path: string };
try {
  parentPort!.postMessage({ ok: true, data: shareNgramLM(loadLanguageModelFile(path)) });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
