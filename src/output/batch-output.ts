import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { TranscribeOutcome } from '../recognizer/transcribe-worker.js';
import { FORMAT_EXTENSIONS, formatResult, type OutputFormat } from './formats.js';
import { outputFileNames } from './names.js';

export interface BatchOutputOptions {
  format: OutputFormat;
  /** A folder for one output file per input, named by outputFileNames; default: everything on stdout. */
  out?: string;
  /** Default process.stdout and process.stderr. */
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * What `hearken transcribe` writes for a batch, for any command that transcribes files (`hearken enqueue --wait`
 * too), so that they write the same bytes. Results may arrive in any order.
 *
 * With `out`, each input gets its own file. On stdout, outputs appear in input order, each as soon as every
 * earlier input is done: one file's output alone as the format has it; several files' as `path<TAB>text` lines
 * (text), one JSON array of documents (json), one document per line (jsonl), or each file's subtitles after a
 * `==> path <==` line, files separated by a blank line (srt, vtt). A failed file is named on stderr and left out;
 * `finish` then sets a non-zero exit code.
 */
export class BatchOutput {
  /** Per input: null while running, then its stdout output (the empty string for none). */
  private readonly pending: ({ path: string; text: string } | null)[];
  private readonly writes: Promise<void>[] = [];
  private readonly stdout: Writable;
  private readonly stderr: Writable;
  private next = 0;
  private printed = 0;
  private failed = 0;
  private audio = 0;
  private compute = 0;

  private constructor(
    private readonly files: readonly string[],
    private readonly options: BatchOutputOptions,
    private readonly outNames: string[],
  ) {
    this.pending = new Array<{ path: string; text: string } | null>(files.length).fill(null);
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  /** Names the output files and makes the folder; throws before any work when two inputs would share a name. */
  static async open(files: readonly string[], options: BatchOutputOptions): Promise<BatchOutput> {
    const outNames = options.out ? outputFileNames(files, FORMAT_EXTENSIONS[options.format]) : [];
    if (options.out) await mkdir(options.out, { recursive: true });
    return new BatchOutput(files, options, outNames);
  }

  /** File `index` (`path`) is done; `afterBar`: a progress bar holds the terminal's line, so a message starts a new one. */
  write(path: string, outcome: TranscribeOutcome, index: number, afterBar = false): void {
    const { format, out } = this.options;
    if (!outcome.ok) {
      this.failed++;
      const code = outcome.code ? ` (${outcome.code})` : '';
      this.stderr.write(`${afterBar ? '\n' : ''}hearken: skipped ${path}: ${outcome.error}${code}\n`);
      this.pending[index] = { path, text: '' };
    } else {
      this.audio += outcome.audioSeconds;
      this.compute += outcome.computeSeconds;
      const text = formatResult(outcome.result, format, { file: path });
      if (out) {
        this.writes.push(writeFile(join(out, this.outNames[index]!), text));
        this.pending[index] = { path, text: '' };
      } else {
        this.pending[index] = { path, text };
      }
    }
    while (this.next < this.files.length && this.pending[this.next] !== null) {
      const { path: done, text } = this.pending[this.next++]!;
      if (text !== '') this.stdout.write(this.files.length > 1 ? this.inBatch(done, text) : text);
    }
  }

  /** Waits for the output files, ends a JSON array, prints the batch summary, and sets process.exitCode on failures. */
  async finish(): Promise<void> {
    await Promise.all(this.writes);
    const n = this.files.length;
    if (n > 1 && !this.options.out && this.options.format === 'json') this.stdout.write(this.printed === 0 ? '[]\n' : '\n]\n');
    if (n > 1 || this.options.out) {
      this.stderr.write(`${n - this.failed}/${n} files, ${this.audio.toFixed(1)} s of audio, RTF ${(this.compute / Math.max(this.audio, 1e-9)).toFixed(3)} per worker\n`);
    }
    if (this.failed > 0) process.exitCode = 1;
  }

  /** One file's output among several on stdout. */
  private inBatch(path: string, text: string): string {
    const first = this.printed++ === 0;
    switch (this.options.format) {
      case 'text':
        return `${path}\t${text}`;
      case 'jsonl':
        return text;
      case 'json':
        return `${first ? '[\n' : ',\n'}${text.trimEnd()}`;
      case 'srt':
      case 'vtt':
        return `${first ? '' : '\n'}==> ${path} <==\n${text}`;
    }
  }
}
