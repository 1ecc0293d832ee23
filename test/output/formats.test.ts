import { describe, expect, it } from 'vitest';
import { formatResult, toSrt, toVtt, transcriptDocument, wordsToCues } from '../../src/output/formats.js';
import type { FileTranscript } from '../../src/recognizer/file-transcription.js';
import type { RecognitionResult } from '../../src/recognizer/index.js';

const result: RecognitionResult = {
  text: 'the quick brown fox jumps over the lazy dog and then it ran far away into the dark green woods',
  words: 'the quick brown fox jumps over the lazy dog and then it ran far away into the dark green woods'
    .split(' ')
    .map((word, i) => ({ word, start: 0.3 * i + (i >= 10 ? 2 : 0), end: 0.3 * i + 0.25 + (i >= 10 ? 2 : 0), conf: 0.9 })),
  alternatives: [],
  start: 0,
  end: 8,
};

/** A minimal SRT/VTT reader: the cues' times must parse and increase, and the words must all be there. */
function parseCues(text: string, vtt: boolean): { start: number; end: number; text: string }[] {
  const blocks = text.trim().split(/\n\n+/);
  if (vtt) expect(blocks.shift()).toBe('WEBVTT');
  const time = /^(\d{2}):(\d{2}):(\d{2})[,.](\d{3})$/;
  const seconds = (s: string): number => {
    const m = time.exec(s);
    if (!m) throw new Error(`bad timestamp ${s}`);
    return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
  };
  return blocks.map((block, i) => {
    const lines = block.split('\n');
    if (!vtt) expect(lines.shift()).toBe(String(i + 1));
    const [a, arrow, b] = lines.shift()!.split(' ');
    expect(arrow).toBe('-->');
    expect(vtt ? a!.includes('.') : a!.includes(',')).toBe(true);
    return { start: seconds(a!), end: seconds(b!), text: lines.join(' ') };
  });
}

describe('subtitle output', () => {
  for (const vtt of [false, true]) {
    it(`${vtt ? 'VTT' : 'SRT'} parses, keeps every word in order, and splits at pauses and length`, () => {
      const cues = parseCues(vtt ? toVtt(result) : toSrt(result), vtt);
      expect(cues.map((c) => c.text).join(' ')).toBe(result.text);
      for (const c of cues) {
        expect(c.end).toBeGreaterThan(c.start);
        expect(c.text.length).toBeLessThanOrEqual(42);
      }
      for (let i = 1; i < cues.length; i++) expect(cues[i]!.start).toBeGreaterThanOrEqual(cues[i - 1]!.end);
      // The 2 s pause before "then" starts a new cue.
      expect(cues.some((c) => c.text.startsWith('then'))).toBe(true);
    });
  }

  it('formats hours correctly', () => {
    const late: RecognitionResult = { ...result, words: [{ word: 'late', start: 3723.5, end: 3724.25, conf: 1 }] };
    expect(toSrt(late)).toContain('01:02:03,500 --> 01:02:04,250');
    expect(toVtt(late)).toContain('01:02:03.500 --> 01:02:04.250');
  });

  it('gives no cues for no words, and JSON that round-trips', () => {
    expect(wordsToCues([])).toEqual([]);
    const { alternatives: _alternatives, ...whole } = result;
    expect(JSON.parse(formatResult(result, 'json', { file: 'x.wav' }))).toEqual({ file: 'x.wav', ...whole, segments: [result] });
    expect(formatResult(result, 'text')).toBe(`${result.text}\n`);
  });
});

describe('JSON output', () => {
  const first = { ...result, text: 'the quick brown fox', words: result.words.slice(0, 4), end: 1.2, alternatives: [{ text: 'the quick brown fox', confidence: -3.5 }, { text: 'the quick brown fix', confidence: -4.25 }] };
  const second = { ...result, text: 'jumps over', words: result.words.slice(4, 6), start: 1.2, end: 2, alternatives: [{ text: 'jumps over', confidence: -2 }] };
  const file: FileTranscript = { text: 'the quick brown fox jumps over', words: [...first.words, ...second.words], alternatives: [], start: 0, end: 2, segments: [first, second] };

  it('json and jsonl write the same document: file, text, words, and each utterance with its alternatives', () => {
    const doc = transcriptDocument(file, 'a.wav');
    expect(Object.keys(doc)).toEqual(['file', 'text', 'start', 'end', 'words', 'segments']);
    expect(doc.segments.map((s) => s.text).join(' ')).toBe(doc.text);
    expect(doc.segments[0]!.alternatives[1]).toEqual({ text: 'the quick brown fix', confidence: -4.25 });
    expect(JSON.parse(formatResult(file, 'json', { file: 'a.wav' }))).toEqual(doc);
    const line = formatResult(file, 'jsonl', { file: 'a.wav' });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1); // one line
    expect(JSON.parse(line)).toEqual(doc);
  });

  it('a stream result without segments is its own one segment, or none when silent', () => {
    expect(transcriptDocument(result).segments).toHaveLength(1);
    expect(transcriptDocument({ ...result, text: '', words: [] }).segments).toEqual([]);
    expect('file' in transcriptDocument(result)).toBe(false);
  });
});
