/**
 * Loads a language model file in either format, told apart by its first bytes (not its name): Hearken's binary
 * format (src/lm/binary.ts) or ARPA text, plain or gzip.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { loadArpaFile } from './arpa.js';
import { BINARY_LM_MAGIC, isBinaryLm, parseBinaryLm } from './binary.js';
import type { NgramLM } from './ngram-lm.js';

/** True when the file starts with the binary LM magic. */
export function isBinaryLmFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(BINARY_LM_MAGIC.length);
    const got = readSync(fd, head, 0, head.length, 0);
    return isBinaryLm(head.subarray(0, got));
  } finally {
    closeSync(fd);
  }
}

/** Reads a binary LM or an ARPA file (plain or gzip). */
export function loadLanguageModelFile(path: string): NgramLM {
  if (!isBinaryLmFile(path)) return loadArpaFile(path);
  const lm = parseBinaryLm(readFileSync(path), path);
  lm.sourcePath = resolvePath(path);
  return lm;
}
