import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWavLayout } from '../../src/audio/index.js';
import { createRecognizer, type Recognizer } from '../../src/recognizer/index.js';
import { ROOT, SAMPLES, TINY_MODEL, defaultModelDir, randomSplits, rng } from '../helpers.js';

const MODEL = defaultModelDir() ?? TINY_MODEL;

/** Runs `hearken stream ARGS`, writing `input` to its stdin in pieces of random sizes with pauses between. */
function hearkenStream(args: string[], input: Uint8Array, seed: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'stream', '--model', MODEL, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    const random = rng(seed);
    const cuts = randomSplits(input.length, random, 6000);
    let from = 0;
    const writeNext = (): void => {
      const to = cuts.shift();
      if (to === undefined) {
        child.stdin.end();
        return;
      }
      child.stdin.write(input.subarray(from, to));
      from = to;
      if (random() < 0.2) setTimeout(writeNext, 5);
      else writeNext();
    };
    writeNext();
  });
}

function rawPcm(file: string): Uint8Array {
  const wav = new Uint8Array(readFileSync(join(SAMPLES, file)));
  const { dataOffset, dataBytes } = parseWavLayout(wav);
  return wav.subarray(dataOffset, dataOffset + dataBytes);
}

// Each test starts the CLI (model and LM load) in a child process: generous limits for loaded CI machines.
describe('hearken stream (live audio on stdin)', { timeout: 600_000 }, () => {
  let recognizer: Recognizer;
  beforeAll(async () => {
    recognizer = await createRecognizer({ model: MODEL });
  });
  afterAll(async () => recognizer.close());

  it('prints one line per utterance, together the batch transcript of the same audio, from a WAV stream (partials on stderr)', async () => {
    const file = join(SAMPLES, 'long-librilight-248.wav');
    const batch = await recognizer.transcribeFile(file);
    const r = await hearkenStream(['--partials'], readFileSync(file), 1);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r\S+/); // partials rewrite one line of stderr, never stdout
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1); // a 70 s file ends several utterances (endpointing)
    expect(lines.join(' ')).toBe(batch.text);
  });

  it('reads raw PCM at the given rate; JSON lines carry times that only move forward', async () => {
    const batch = await recognizer.transcribeFile(join(SAMPLES, 'digits-8k-fsdd-4159.wav'));
    const r = await hearkenStream(['--rate', '8000', '--format', 'json'], rawPcm('digits-8k-fsdd-4159.wav'), 2);
    expect(r.code).toBe(0);
    const utterances = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { start: number; end: number; text: string; words: Array<{ word: string; start: number; end: number }> });
    expect(utterances.map((u) => u.text).join(' ')).toBe(batch.text);
    let t = 0;
    for (const u of utterances) {
      expect(u.start).toBeGreaterThanOrEqual(t);
      for (const w of u.words) {
        expect(w.start).toBeGreaterThanOrEqual(u.start - 1e-3);
        expect(w.end).toBeLessThanOrEqual(u.end + 1e-3);
      }
      t = u.end;
    }
  });

  it('keeps the grammar and hotword options of the other commands', async () => {
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const r = await hearkenStream(digits.flatMap((d) => ['--grammar', d]), readFileSync(join(SAMPLES, 'digits-8k-fsdd-4159.wav')), 3);
    expect(r.code).toBe(0);
    for (const w of r.stdout.split(/\s+/).filter(Boolean)) expect(digits).toContain(w);
  });

  it('transcribes what came before an input that ends inside a sample, then exits 1 saying so', async () => {
    const pcm = rawPcm('digits-8k-fsdd-4159.wav');
    const odd = new Uint8Array(pcm.length + 1);
    odd.set(pcm);
    const batch = await recognizer.transcribeFile(join(SAMPLES, 'digits-8k-fsdd-4159.wav'));
    const r = await hearkenStream(['--rate', '8000'], odd, 4);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ended inside a sample \(1 byte left over\)/);
    expect(r.stdout.trim().split('\n').join(' ')).toBe(batch.text);
  });

  it.each(['opus', 'mp3'])('decodes compressed input (.%s) to the batch transcript of the same file', async (ext) => {
    const file = join(SAMPLES, 'compressed', `librilight-831-130739-0011.${ext}`);
    const batch = await recognizer.transcribeFile(file);
    const r = await hearkenStream([], readFileSync(file), 7);
    expect(r.code, r.stderr).toBe(0);
    expect(batch.text).not.toBe('');
    expect(r.stdout.trim().split('\n').join(' ')).toBe(batch.text);
  });

  it('refuses MP4 on stdin, saying what to run instead, and transcribes none of it', async () => {
    const mp4 = new Uint8Array([0, 0, 0, 0x20, ...Buffer.from('ftypM4A '), ...new Array<number>(4000).fill(0)]);
    const refused = await hearkenStream([], mp4, 8);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/MP4\/M4A \(AAC\), which hearken stream does not decode; convert it first, e\.g\. ffmpeg -i INPUT -f wav - \| hearken stream/);
  });

  it('refuses a WAV stream cut inside its header, and a WAV encoding it cannot stream', async () => {
    const wav = new Uint8Array(readFileSync(join(SAMPLES, 'digit-8k-fsdd-7.wav')));
    const cut = await hearkenStream([], wav.subarray(0, 30), 5);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/ended inside its WAV header/);
    const wav8 = new Uint8Array(wav);
    new DataView(wav8.buffer).setUint16(34, 8, true); // 8-bit PCM
    new DataView(wav8.buffer).setUint16(32, 1, true);
    const bad = await hearkenStream([], wav8, 6);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/must be 16-bit PCM or 32-bit float/);
  });
});
