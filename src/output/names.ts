import { basename, extname } from 'node:path';

/**
 * Output file names for a batch written into one folder, by one rule for every format: the input's file name with
 * its last extension replaced by the format's (txt, json, jsonl, srt, vtt), or the format's appended when it has
 * none: "talks/day1.wav" → "day1.srt", "day1.mp3" → "day1.json", "notes" → "notes.txt". A name depends on its
 * input alone, never on the other inputs. Two inputs that would get the same name ("a/talk.wav" and
 * "b/talk.wav", "talk.wav" and "talk.mp3", one file given twice) are refused before any work, naming both.
 */
export function outputFileNames(paths: readonly string[], extension: string): string[] {
  const names = paths.map((p) => `${basename(p, extname(p))}.${extension}`);
  const firstWith = new Map<string, number>();
  names.forEach((name, i) => {
    const first = firstWith.get(name);
    if (first !== undefined) throw new Error(`${paths[first]} and ${paths[i]} would both be written to ${name}; transcribe them into different --out folders`);
    firstWith.set(name, i);
  });
  return names;
}
