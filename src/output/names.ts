import { basename, extname } from 'node:path';

/**
 * Output file names for a batch written into one folder: the input's name with the format's extension
 * ("talk.wav" → "talk.srt"). Inputs that would share a name keep their own extension too ("talk.wav.srt",
 * "talk.mp3.srt"), so no output silently overwrites another. Throws before any work when names still clash
 * (the same file name in two folders, or one file given twice), naming the inputs.
 */
export function outputFileNames(paths: readonly string[], extension: string): string[] {
  const stem = (p: string): string => basename(p, extname(p));
  const stemCount = new Map<string, number>();
  for (const p of paths) stemCount.set(stem(p), (stemCount.get(stem(p)) ?? 0) + 1);
  const names = paths.map((p) => `${stemCount.get(stem(p))! > 1 ? basename(p) : stem(p)}.${extension}`);
  const firstWith = new Map<string, number>();
  names.forEach((name, i) => {
    const first = firstWith.get(name);
    if (first !== undefined) throw new Error(`${paths[first]} and ${paths[i]} would both be written to ${name}; transcribe them into different --out folders`);
    firstWith.set(name, i);
  });
  return names;
}
