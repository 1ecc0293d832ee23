import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, SAMPLES, TINY_MODEL, defaultModelDir } from '../helpers.js';

const run = promisify(execFile);
const MODEL = defaultModelDir() ?? TINY_MODEL;
const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli.ts')];

/** Runs the CLI with `input` on stdin. */
function hearken(args: string[], input: Buffer | string = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('--punctuate and hearken punctuation', () => {
  it('transcribe --punctuate: punctuated, cased text; each JSON word its shown form', async () => {
    const file = join(SAMPLES, 'tts-espeak-fox.wav');
    const { stdout } = await run(process.execPath, [...CLI, 'transcribe', '--model', MODEL, '--format', 'json', '--punctuate', file], { cwd: ROOT, timeout: 120_000 });
    const json = JSON.parse(stdout) as { text: string; words: Array<{ word: string }> };
    expect(json.text).toMatch(/^[A-Z].*[.?]$/);
    expect(json.words.map((w) => w.word).join(' ')).toBe(json.text);
    const plain = JSON.parse((await run(process.execPath, [...CLI, 'transcribe', '--model', MODEL, '--format', 'json', file], { cwd: ROOT, timeout: 120_000 })).stdout) as { text: string };
    expect(json.text.replace(/[,.?](?= |$)/g, '').toLowerCase()).toBe(plain.text);
  });

  it('stream --punctuate: the same line as batch', async () => {
    const file = join(SAMPLES, 'tts-flite-stella.wav');
    const streamed = await hearken(['stream', '--model', MODEL, '--punctuate'], readFileSync(file));
    expect(streamed.code).toBe(0);
    const batch = await hearken(['transcribe', '--model', MODEL, '--punctuate', file]);
    expect(streamed.stdout.trim()).toBe(batch.stdout.trim());
    expect(streamed.stdout.trim()).toMatch(/^[A-Z].*[.?]$/);
  });

  it('punctuation apply: one punctuated line per line of words', async () => {
    const r = await hearken(['punctuation', 'apply'], 'the quick brown fox jumped over the lazy dog it was tired\nwhere are you going\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('The quick brown fox jumped over the lazy dog. It was tired.\nWhere are you going?\n');
  });
});
