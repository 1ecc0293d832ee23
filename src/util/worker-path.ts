import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerModule {
  /** The file a Worker or Piscina pool should start. */
  filename: string;
  /** Must be passed as the worker's workerData (it names the TypeScript module to load, when there is one). */
  workerData: { tsWorkerModule?: string };
}

/**
 * A worker module beside `importMetaUrl`: the compiled `.js` when running from dist/; when running from
 * src/ under tsx or vitest, a small bootstrap that registers tsx in the worker (Node does not pass loaders
 * on to worker threads) and then loads the `.ts` module.
 */
export function siblingWorker(importMetaUrl: string, baseName: string): WorkerModule {
  const typescript = fileURLToPath(importMetaUrl).endsWith('.ts');
  const target = fileURLToPath(new URL(`./${baseName}${typescript ? '.ts' : '.js'}`, importMetaUrl));
  if (!existsSync(target)) throw new Error(`worker module not found: ${target}`);
  if (!typescript) return { filename: target, workerData: {} };
  return {
    filename: fileURLToPath(new URL('./ts-worker.mjs', import.meta.url)),
    workerData: { tsWorkerModule: pathToFileURL(target).href },
  };
}
