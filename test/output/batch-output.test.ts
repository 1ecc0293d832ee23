import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchOutput } from '../../src/output/batch-output.js';
import type { OutputFormat } from '../../src/output/formats.js';
import type { FileTranscript } from '../../src/recognizer/file-transcription.js';
import type { TranscribeOutcome } from '../../src/recognizer/transcribe-worker.js';
import { tempDir } from '../helpers.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function transcript(text: string, at: number): FileTranscript {
  const words = text.split(' ').map((word, i) => ({ word, start: at + i * 0.5, end: at + i * 0.5 + 0.4, conf: 0.9 }));
  const segment = { text, words, alternatives: [{ text, confidence: -1 }], start: at, end: at + 2 };
  return { ...segment, alternatives: [], segments: [segment] };
}

const FILES = ['in/one.wav', 'in/two.mp3', 'in/three.flac'];
const ok = (i: number): TranscribeOutcome => ({ ok: true, result: transcript(`file number ${i}`, i), audioSeconds: 2, computeSeconds: 0.1 });

/** Writes FILES' outcomes finishing in the order given (those in `failing` failing); returns stdout and stderr. */
async function run(format: OutputFormat, order: number[], options: { out?: string; failing?: number[]; files?: string[] } = {}): Promise<{ stdout: string; stderr: string }> {
  const files = options.files ?? FILES;
  const stdout = new Sink();
  const stderr = new Sink();
  const output = await BatchOutput.open(files, { format, out: options.out, stdout, stderr });
  for (const i of order) {
    const outcome: TranscribeOutcome = options.failing?.includes(i) ? { ok: false, error: 'AudioFormatError: too long', code: 'TOO_LONG' } : ok(i);
    output.write(files[i]!, outcome, i);
  }
  await output.finish();
  return { stdout: stdout.text, stderr: stderr.text };
}

describe('BatchOutput (what transcribe and enqueue --wait write)', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('jsonl: one parseable document per file per line, in input order whatever order files finish in', async () => {
    const { stdout } = await run('jsonl', [2, 0, 1]);
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { file: string; text: string; segments: { start: number; end: number; text: string; words: unknown[] }[] });
    expect(lines.map((l) => l.file)).toEqual(FILES);
    for (const [i, l] of lines.entries()) {
      expect(l.text).toBe(`file number ${i}`);
      expect(l.segments[0]).toMatchObject({ start: i, end: i + 2, text: l.text });
      expect(l.segments[0]!.words).toHaveLength(3);
    }
  });

  it('json: one file alone is its document; several are one JSON array; a failed file is left out and named on stderr', async () => {
    const single = await run('json', [0], { files: [FILES[0]!] });
    expect((JSON.parse(single.stdout) as { file: string }).file).toBe(FILES[0]);
    const several = await run('json', [1, 2, 0], { failing: [1] });
    expect((JSON.parse(several.stdout) as { file: string }[]).map((d) => d.file)).toEqual([FILES[0], FILES[2]]);
    expect(several.stderr).toMatch(/hearken: skipped in\/two\.mp3: AudioFormatError: too long \(TOO_LONG\)/);
    expect(several.stderr).toMatch(/2\/3 files/);
    expect(process.exitCode).toBe(1);
    // every file failed: still an array
    expect(JSON.parse((await run('json', [1, 0], { failing: [0, 1], files: FILES.slice(0, 2) })).stdout)).toEqual([]);
  });

  it('srt and vtt: each file\'s subtitles after a "==> file <==" line; text: path and text per line', async () => {
    for (const format of ['srt', 'vtt'] as const) {
      const { stdout } = await run(format, [1, 0, 2]);
      const parts = stdout.split(/^==> (.+) <==\n/m);
      expect(parts[0]).toBe('');
      expect(parts.filter((_, i) => i % 2 === 1)).toEqual(FILES);
      for (let i = 0; i < FILES.length; i++) expect(parts[2 * i + 2]).toContain(`file number ${i}`);
      if (format === 'vtt') for (let i = 0; i < FILES.length; i++) expect(parts[2 * i + 2]!.startsWith('WEBVTT')).toBe(true);
    }
    const { stdout } = await run('text', [2, 1, 0]);
    expect(stdout).toBe(FILES.map((f, i) => `${f}\tfile number ${i}\n`).join(''));
  });

  it('--out: one file per input named by the one rule, nothing on stdout', async () => {
    for (const format of ['text', 'json', 'jsonl', 'srt', 'vtt'] as const) {
      const out = join(tempDir(), 'out');
      const { stdout } = await run(format, [0, 2, 1], { out });
      expect(stdout).toBe('');
      const ext = format === 'text' ? 'txt' : format;
      expect(readdirSync(out).sort()).toEqual([`one.${ext}`, `three.${ext}`, `two.${ext}`]);
      expect(readFileSync(join(out, `two.${ext}`), 'utf8')).toContain('file number 1');
    }
    await expect(BatchOutput.open(['a/x.wav', 'b/x.mp3'], { format: 'srt', out: tempDir() })).rejects.toThrow(/would both be written to x\.srt/);
  });
});
