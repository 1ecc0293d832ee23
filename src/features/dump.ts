import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { readManifest } from '../util/manifest.js';
import { siblingWorker } from '../util/worker-path.js';
import { DEFAULT_FEATURE_CONFIG, type FeatureConfig } from './config.js';
import type { DumpResult, DumpTask } from './dump-worker.js';

/** Shards roll over at this size so no single file is unwieldy. */
const SHARD_BYTES = 1 << 30;

export interface DumpedUtterance {
  id: string;
  file: string;
  transcript: string;
  shard: number;
  /** First frame of this utterance in its shard. */
  offset: number;
  frames: number;
  seconds: number;
}

/** `index.json` of a feature dump: shards are raw little-endian float32, row-major [frames, dim]. */
export interface DumpIndex {
  featureConfig: FeatureConfig;
  dim: number;
  shards: { file: string; frames: number }[];
  utterances: DumpedUtterance[];
  failures: { file: string; error: string }[];
}

export interface DumpOptions {
  manifest: string;
  out: string;
  config?: FeatureConfig;
  /** Worker threads; default: all cores. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DumpSummary {
  utterances: number;
  hours: number;
  failures: { file: string; error: string }[];
  frames: number;
}

function utteranceId(file: string): string {
  return file.replace(/\.[^./]+$/, '').replace(/[\\/]/g, '__');
}

async function write(stream: WriteStream, data: Float32Array): Promise<void> {
  if (!stream.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength))) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** Computes features for every utterance of a manifest with a pool of worker threads. Bad files are skipped and listed. */
export async function dumpFeatures(options: DumpOptions): Promise<DumpSummary> {
  const config = options.config ?? DEFAULT_FEATURE_CONFIG;
  const entries = await readManifest(options.manifest);
  await mkdir(options.out, { recursive: true });
  const worker = siblingWorker(import.meta.url, 'dump-worker');
  const pool = new Piscina<DumpTask, DumpResult>({
    filename: worker.filename,
    workerData: worker.workerData,
    maxThreads: options.workers ?? availableParallelism(),
  });
  const index: DumpIndex = { featureConfig: { ...config }, dim: config.mfccCoefficients, shards: [], utterances: [], failures: [] };
  let shard: WriteStream | null = null;
  let shardFrames = 0;
  let done = 0;
  let seconds = 0;
  const openShard = (): WriteStream => {
    const file = `shard-${String(index.shards.length).padStart(3, '0')}.f32`;
    index.shards.push({ file, frames: 0 });
    shardFrames = 0;
    return createWriteStream(join(options.out, file));
  };
  try {
    // Submit everything, then write results strictly in manifest order so the dump is deterministic.
    const pending = entries.map((entry) =>
      pool.run({ path: entry.path, config }).catch((err: unknown): DumpResult => ({ ok: false, error: `worker failed: ${String(err)}` })),
    );
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const result = await pending[i]!;
      done++;
      options.onProgress?.(done, entries.length);
      if (!result.ok) {
        index.failures.push({ file: entry.file, error: result.error });
        continue;
      }
      if (!shard || (shardFrames + result.frames) * index.dim * 4 > SHARD_BYTES) {
        if (shard) await close(shard);
        shard = openShard();
      }
      await write(shard, result.data);
      index.utterances.push({
        id: utteranceId(entry.file),
        file: entry.file,
        transcript: entry.transcript,
        shard: index.shards.length - 1,
        offset: shardFrames,
        frames: result.frames,
        seconds: result.seconds,
      });
      shardFrames += result.frames;
      index.shards[index.shards.length - 1]!.frames = shardFrames;
      seconds += result.seconds;
    }
  } finally {
    if (shard) await close(shard);
    await pool.destroy();
  }
  await writeFile(join(options.out, 'index.json'), JSON.stringify(index));
  return {
    utterances: index.utterances.length,
    hours: seconds / 3600,
    failures: index.failures,
    frames: index.utterances.reduce((s, u) => s + u.frames, 0),
  };
}
