import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { HearkenError } from './errors.js';

/** One line of a `file<TAB>transcript` manifest, with the path resolved against the manifest's folder. */
export interface ManifestEntry {
  /** Path as written in the manifest. */
  file: string;
  /** Absolute path. */
  path: string;
  transcript: string;
  /** 1-based line number, for error messages. */
  line: number;
}

export class ManifestError extends HearkenError<'BAD_MANIFEST'> {
  constructor(message: string) {
    super('BAD_MANIFEST', message);
    this.name = 'ManifestError';
  }
}

/** Parses a manifest; a `file<TAB>transcript` header line is optional. */
export function parseManifest(text: string, manifestPath: string): ManifestEntry[] {
  const base = dirname(resolve(manifestPath));
  const entries: ManifestEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const tab = raw.indexOf('\t');
    if (i === 0 && raw.startsWith('file\t')) continue;
    if (tab <= 0) throw new ManifestError(`${manifestPath}:${i + 1}: expected "file<TAB>transcript"`);
    const file = raw.slice(0, tab);
    entries.push({
      file,
      path: isAbsolute(file) ? file : resolve(base, file),
      transcript: raw.slice(tab + 1).trim(),
      line: i + 1,
    });
  }
  return entries;
}

export async function readManifest(manifestPath: string): Promise<ManifestEntry[]> {
  return parseManifest(await readFile(manifestPath, 'utf8'), manifestPath);
}
