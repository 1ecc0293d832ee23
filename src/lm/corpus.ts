/**
 * Corpus reading and line preparation for LM training: undo WikiText tokenisation artefacts and drop lines
 * the source already damaged, then apply the shared normaliser so the LM's words are exactly the
 * words the decoder can spell.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { normalizeWords } from '../text/normalize.js';
import { bookSentences } from './book.js';

/** WikiText writes "1 @,@ 000", "3 @.@ 5" and "state @-@ of"; rejoin them before number expansion. */
function detokenizeWikitext(line: string): string {
  return line.replace(/ @([-,.])@ /g, '$1');
}

/**
 * Normalised words of one corpus line, or null when the line must be skipped: a literal `<unk>`
 * marks a word the source replaced, and training on the hole would teach false n-grams.
 */
export function prepareCorpusLine(line: string): string[] | null {
  if (line.includes('<unk>')) return null;
  const words = normalizeWords(detokenizeWikitext(line));
  return words.length > 0 ? words : null;
}

/** A file's text; `.gz` files are decompressed. */
function readText(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** The book files of a directory (`*.txt`, `*.txt.gz`), in name order so that builds are reproducible. */
export function bookFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.txt(\.gz)?$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The sentences of text files, one per line. A `.tsv` file is a manifest (file<TAB>transcript, with or without
 * a `file<TAB>transcript` header): its transcripts are the sentences, so training transcripts can join the text.
 * A directory holds books (`*.txt` or `*.txt.gz`, one book a file, as printed): each is split into sentences
 * with its headings, credits and illustration tags dropped (`bookSentences`). `.gz` files are decompressed.
 */
export function* readSentences(paths: readonly string[]): Generator<string> {
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const book of bookFiles(p)) yield* bookSentences(readText(book));
      continue;
    }
    const text = readText(p);
    const manifest = p.endsWith('.tsv');
    let start = 0;
    let first = true;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const line = nl < 0 ? text.slice(start) : text.slice(start, nl);
      if (nl >= 0 || line.length > 0) {
        if (!manifest) yield line;
        else if (!(first && line.startsWith('file\t'))) yield line.slice(line.indexOf('\t') + 1);
      }
      if (nl < 0) break;
      first = false;
      start = nl + 1;
    }
  }
}
