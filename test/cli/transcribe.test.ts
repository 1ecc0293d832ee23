import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRecognizer } from '../../src/recognizer/index.js';
import { computeWer } from '../../src/text/index.js';
import { SAMPLES, TINY_MODEL, defaultModelDir, tempDir } from '../helpers.js';
import { hearken } from './run-cli.js';

const MODEL = defaultModelDir() ?? TINY_MODEL;

// Each test runs the CLI in a child process or two: generous limits, since CI machines may be loaded.
describe('hearken transcribe', { timeout: 300_000 }, () => {
  it('transcribes good files, reports a bad one among them, and exits non-zero', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.wav');
    writeFileSync(bad, 'RIFF\x10\x00\x00\x00WAVEfmt ');
    const good = [join(SAMPLES, 'tts-espeak-fox.wav'), join(SAMPLES, 'digit-8k-fsdd-7.wav')];
    const out = join(dir, 'out');
    const r = await hearken(['transcribe', '--model', MODEL, '--greedy', '--format', 'srt', '--out', out, good[0]!, bad, good[1]!]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/skipped .*bad\.wav: AudioFormatError/);
    expect(existsSync(join(out, 'tts-espeak-fox.srt'))).toBe(true);
    expect(existsSync(join(out, 'digit-8k-fsdd-7.srt'))).toBe(true);
    expect(existsSync(join(out, 'bad.srt'))).toBe(false);
  });

  it('gives the same results on 2 worker threads (sharing one LM) as on 1', async () => {
    const files = [join(SAMPLES, 'tts-espeak-fox.wav'), join(SAMPLES, 'librilight-831-130739-0004.wav')];
    const outputs: string[][] = [];
    for (const workers of ['1', '2']) {
      const out = join(tempDir(), 'out');
      const r = await hearken(['transcribe', '--model', MODEL, '--workers', workers, '--format', 'json', '--out', out, ...files]);
      expect(r.code, r.stderr).toBe(0);
      outputs.push(['tts-espeak-fox.json', 'librilight-831-130739-0004.json'].map((f) => readFileSync(join(out, f), 'utf8')));
    }
    expect(outputs[1]).toEqual(outputs[0]);
    expect(JSON.parse(outputs[0]![1]!).text.length).toBeGreaterThan(0);
    // threads that were handed the LM in shared memory still know it is the shipped one, and calibrate confidences
    const recognizer = await createRecognizer({ model: MODEL });
    const direct = await recognizer.transcribeFile(files[1]!);
    await recognizer.close();
    expect((JSON.parse(outputs[1]![1]!) as { words: unknown }).words).toEqual(direct.words);
  });

  it('prints JSON with word times for one file and exits 0', async () => {
    const r = await hearken(['transcribe', '--model', MODEL, '--greedy', '--format', 'json', join(SAMPLES, 'librilight-831-130739-0011.wav')]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { text: string; words: { start: number; end: number }[]; end: number };
    expect(typeof json.text).toBe('string');
    expect(json.end).toBeGreaterThan(4.5);
    for (const w of json.words) expect(w.end).toBeLessThanOrEqual(json.end);
  });

  it('transcribes FLAC, Ogg Opus, Ogg Vorbis and MP3 as it does the WAV, one JSON line each', async () => {
    const stem = 'librilight-831-130739-0011';
    const inputs = [join(SAMPLES, `${stem}.wav`), ...['flac', 'opus', 'ogg', 'mp3'].map((ext) => join(SAMPLES, 'compressed', `${stem}.${ext}`))];
    const r = await hearken(['transcribe', '--model', MODEL, '--greedy', '--format', 'jsonl', ...inputs]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { file: string; text: string });
    expect(lines.map((l) => l.file)).toEqual(inputs);
    const textOf = (ext: string): string => lines.find((l) => l.file.endsWith(`.${ext}`))!.text;
    const reference = readFileSync(join(SAMPLES, 'manifest.tsv'), 'utf8').split('\n').find((l) => l.startsWith(`${stem}.wav\t`))!.split('\t')[1]!;
    const cer = (ext: string): number => computeWer([{ reference, hypothesis: textOf(ext) }]).cer;
    // FLAC is lossless and decodes to the WAV's very samples: the same words. The lossy codecs (32-48 kbit/s)
    // may move some characters, but must not cost much accuracy.
    expect(textOf('flac')).toBe(textOf('wav'));
    for (const ext of ['opus', 'ogg', 'mp3']) expect(cer(ext)).toBeLessThan(cer('wav') + 0.1);
    // Two inputs that would share an output name are refused before any work.
    const clash = await hearken(['transcribe', '--model', MODEL, '--greedy', '--out', join(tempDir(), 'out'), inputs[0]!, inputs[1]!]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/0011\.wav and .*0011\.flac would both be written to librilight-831-130739-0011\.txt/);
  });

  it('writes segments, each utterance with its times, words and alternatives, in json and jsonl alike', async () => {
    const file = join(SAMPLES, 'long-librilight-248.wav');
    const [json, jsonl] = await Promise.all(['json', 'jsonl'].map((format) => hearken(['transcribe', '--model', MODEL, '--format', format, file])));
    expect(json!.code, json!.stderr).toBe(0);
    const doc = JSON.parse(json!.stdout) as { file: string; text: string; words: { word: string }[]; segments: { start: number; end: number; text: string; words: { word: string; start: number; end: number }[]; alternatives: { text: string; confidence: number }[] }[] };
    expect(JSON.parse(jsonl!.stdout)).toEqual(doc);
    expect(doc.file).toBe(file);
    expect(doc.segments.length).toBeGreaterThan(1); // a 70 s file ends several utterances
    expect(doc.segments.map((s) => s.text).join(' ')).toBe(doc.text);
    expect(doc.segments.flatMap((s) => s.words)).toEqual(doc.words);
    let t = 0;
    for (const s of doc.segments) {
      expect(s.start).toBeGreaterThanOrEqual(t);
      expect(s.end).toBeGreaterThan(s.start);
      for (const w of s.words) expect(w.start >= s.start - 1e-3 && w.end <= s.end + 1e-3).toBe(true);
      expect(s.alternatives[0]).toEqual({ text: s.text, confidence: expect.any(Number) as number });
      t = s.end;
    }
  });

  it('skips a file longer than --max-duration with TOO_LONG, transcribing the others', async () => {
    const short = join(SAMPLES, 'digit-8k-fsdd-7.wav');
    const long = join(SAMPLES, 'librilight-831-130739-0011.wav');
    const opus = join(SAMPLES, 'compressed', 'librilight-831-130739-0011.opus');
    const r = await hearken(['transcribe', '--model', MODEL, '--greedy', '--max-duration', '3', '--format', 'jsonl', short, long, opus]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/skipped .*0011\.wav: AudioFormatError: .* holds 4\.9 s of audio; the limit .* is 3 s \(TOO_LONG\)/);
    expect(r.stderr).toMatch(/skipped .*0011\.opus: .*\(TOO_LONG\)/);
    expect(r.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { file: string }).file)).toEqual([short]);
  });

  it('explains a bad model folder', async () => {
    const r = await hearken(['transcribe', '--model', join(tempDir(), 'none'), join(SAMPLES, 'tts-espeak-fox.wav')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ModelLoadError: no model at/);
  });

  it('restricts recognition to a grammar from --grammar and --grammar-file, JSON words included', async () => {
    const dir = tempDir();
    const file = join(dir, 'digits.txt');
    writeFileSync(file, 'zero\none\ntwo\nthree\n\nfour\nfive\nsix\nseven\neight\n');
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const r = await hearken(['transcribe', '--model', MODEL, '--format', 'json', '--grammar', 'nine', '--grammar-file', file,
      join(SAMPLES, 'digits-8k-fsdd-4159.wav')]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { text: string; words: Array<{ word: string }> };
    for (const w of json.text.split(' ').filter(Boolean)) expect(digits).toContain(w);
    for (const w of json.words) expect(digits).toContain(w.word);
  });

  it('writes numbers as numerals with --numerals, each number one JSON word', async () => {
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const r = await hearken(['transcribe', '--model', MODEL, '--format', 'json', '--numerals', '--no-endpoint',
      ...digits.flatMap((d) => ['--grammar', d]), join(SAMPLES, 'digits-8k-fsdd-4159.wav')]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { text: string; words: Array<{ word: string; start: number; end: number }> };
    expect(json.words.map((w) => w.word).join(' ')).toBe(json.text);
    for (const w of json.words) {
      expect(/^\d+$/.test(w.word) || digits.includes(w.word)).toBe(true);
      expect(w.start).toBeLessThanOrEqual(w.end);
    }
  });

  it('refuses a bad grammar and a missing grammar file with a clear message', async () => {
    const bad = await hearken(['transcribe', '--grammar', '?!', join(SAMPLES, 'digit-8k-fsdd-7.wav')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/grammar phrase 0 \("\?!"\) has no speakable words/);
    const missing = await hearken(['transcribe', '--grammar-file', join(tempDir(), 'none.txt'), join(SAMPLES, 'digit-8k-fsdd-7.wav')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read grammar file .*none\.txt: ENOENT/);
  });

  it('refuses an unknown format and a bad hotword boost before doing any work', async () => {
    expect((await hearken(['transcribe', '--format', 'docx', 'x.wav'])).stderr).toMatch(/Allowed choices are text, json, jsonl, srt, vtt/);
    expect((await hearken(['transcribe', '--max-duration', '-5', 'x.wav'])).stderr).toMatch(/--max-duration.*positive duration/);
    expect((await hearken(['transcribe', '--hotword', 'stella:-2', 'x.wav'])).stderr).toMatch(/boost .* positive/);
    expect((await hearken(['transcribe', '--end-padding', '-1', 'x.wav'])).stderr).toMatch(/--end-padding.*seconds from 0 to 5/);
  });
});

describe('hearken eval', { timeout: 300_000 }, () => {
  it('prints WER and CER for a manifest', async () => {
    const dir = tempDir();
    const manifest = join(dir, 'm.tsv');
    writeFileSync(manifest, `file\ttranscript\n${join(SAMPLES, 'tts-espeak-fox.wav')}\tthe quick brown fox jumps over the lazy dog\n`);
    const r = await hearken(['eval', '--model', MODEL, '--greedy', '--json', manifest]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { utterances: number; wer: number; cer: number; refWords: number };
    expect(summary.utterances).toBe(1);
    expect(summary.refWords).toBe(9);
    // the figures are the library's: the same file, model and decoding, scored by computeWer
    const recognizer = await createRecognizer({ model: MODEL, decoding: 'greedy' });
    const direct = await recognizer.transcribeFile(join(SAMPLES, 'tts-espeak-fox.wav'));
    await recognizer.close();
    const expected = computeWer([{ reference: 'the quick brown fox jumps over the lazy dog', hypothesis: direct.text }]);
    expect(summary.wer).toBeCloseTo(expected.wer, 9);
    expect(summary.cer).toBeCloseTo(expected.cer, 9);
  });

  it('scores grammar decoding too (--grammar-file), at least as well as open dictation on the digit fixtures', async () => {
    const dir = tempDir();
    const manifest = join(dir, 'm.tsv');
    writeFileSync(manifest, `file\ttranscript\n${join(SAMPLES, 'digits-8k-fsdd-4159.wav')}\tfour one five nine\n${join(SAMPLES, 'digit-8k-fsdd-7.wav')}\tseven\n`);
    const grammar = join(dir, 'digits.txt');
    writeFileSync(grammar, 'zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n');
    const open = await hearken(['eval', '--model', MODEL, '--json', manifest]);
    const restricted = await hearken(['eval', '--model', MODEL, '--json', '--grammar-file', grammar, manifest]);
    expect(restricted.code).toBe(0);
    const wer = (r: { stdout: string }) => (JSON.parse(r.stdout) as { wer: number }).wer;
    expect(wer(restricted)).toBeLessThanOrEqual(0.4);
    expect(wer(restricted)).toBeLessThanOrEqual(wer(open));
  });
});
