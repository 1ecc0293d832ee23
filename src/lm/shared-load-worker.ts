/** Thread body for `loadSharedLM`: parse, copy into shared memory, post, exit (taking the parse's heap along). */
import { parentPort, workerData } from 'node:worker_threads';
import { loadArpaFile } from './arpa.js';
import { shareNgramLM } from './shared.js';

const { path } = workerData as { path: string };
try {
  parentPort!.postMessage({ ok: true, data: shareNgramLM(loadArpaFile(path)) });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
