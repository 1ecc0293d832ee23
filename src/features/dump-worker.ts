import { readAudioFile } from '../audio/decode.js';
import { checkFeatureConfig } from './config.js';
import { computeMfcc } from './mfcc.js';

export interface DumpTask {
  path: string;
  config: unknown;
}

export type DumpResult =
  | { ok: true; data: Float32Array; frames: number; seconds: number }
  | { ok: false; error: string };

/** Piscina task: one utterance's features, or the reason it failed (never a throw: one bad file must not stop a dump). */
export default async function extract(task: DumpTask): Promise<DumpResult> {
  try {
    const audio = await readAudioFile(task.path);
    const features = computeMfcc(audio.samples, checkFeatureConfig(task.config));
    return { ok: true, data: features.data, frames: features.frames, seconds: audio.samples.length / audio.sampleRate };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}
